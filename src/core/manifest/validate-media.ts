// Local media files against their slot's limits (existence, real format from the magic bytes,
// bytes, pixels, aspect ratio, alpha, length), and the warning for a URL kind the model's own page
// does not name. The media rules themselves (types, counts, URL schemes) are the catalog's.
import type { FileLimits, MediaSlot, ModelEntry } from '../catalog/model-entry.js';
import { isLocalPath, type MediaItemView } from '../catalog/rules/media.js';
import type { ExpandedShot, LocalFileInfo, MediaFormat } from './manifest-types.js';
import type { ShotReport } from './shot-report.js';
import type { ShotView } from './shot-view.js';

export type LocalFiles = ReadonlyMap<string, LocalFileInfo>;

/** Every local file a shot names for its model, with the slot limits that apply. */
export function checkLocalMedia(model: ModelEntry, items: readonly MediaItemView[], view: ShotView, r: ShotReport, files: LocalFiles | undefined): void {
  const uses: Array<{ kind: 'local' | 'oss'; pointer: string; slot: MediaSlot }> = [];
  for (const item of items) {
    const slot = model.media.slots.find((s) => s.type === item.type);
    if (!slot) continue;
    if (typeof item.value === 'string' && (slot.valueKey ?? 'url') === 'url') {
      const pointer = view.pointerOf(item.at);
      note(uses, item.value, pointer, slot);
      if (isLocalPath(item.value) && slot.limits) checkFile(model, item.value, slot.kind, slot.limits, pointer, r, files);
    }
    const voice = item.raw?.['reference_voice'];
    if (slot.voice && typeof voice === 'string') {
      const pointer = view.pointerOf({ ...item.at, key: 'reference_voice' });
      if (isLocalPath(voice)) checkFile(model, voice, 'audio', slot.voice.limits, pointer, r, files);
    }
  }
  checkSources(uses, r);
}

function note(uses: Array<{ kind: 'local' | 'oss'; pointer: string; slot: MediaSlot }>, url: string, pointer: string, slot: MediaSlot): void {
  if (isLocalPath(url)) uses.push({ kind: 'local', pointer, slot });
  else if (/^oss:/i.test(url)) uses.push({ kind: 'oss', pointer, slot });
}

/**
 * One warning per shot whose media reach the server in a way the model's own page does not name
 * although the service takes it (a local file, which is uploaded and sent as oss://, or an
 * oss:// URL, on PixVerse). A warning, not an error: the official SDK uploads local files for any
 * model. The message carries no shot-specific text so that the CLI can group it over many shots.
 */
function checkSources(uses: ReadonlyArray<{ kind: 'local' | 'oss'; pointer: string; slot: MediaSlot }>, r: ShotReport): void {
  const affected = uses.filter((u) => u.slot.urls?.undocumented?.schemes.includes('oss'));
  const first = affected[0];
  if (!first) return;
  const local = affected.some((u) => u.kind === 'local');
  const oss = affected.some((u) => u.kind === 'oss');
  const noun = affected.every((u) => u.slot.kind === 'image') ? 'image' : 'media';
  const what = local
    ? `local ${noun} files are uploaded and sent as temporary oss:// URLs${oss ? ' (and oss:// URLs are given)' : ''}`
    : `oss:// ${noun} URLs are given`;
  r.add(
    'warning',
    'media-source-undocumented',
    first.pointer,
    `${what}, but ${first.slot.urls!.undocumented!.note}`,
    `nothing to change unless the server refuses the ${noun === 'image' ? 'image' : 'file'}; then put the ${noun === 'image' ? 'image' : 'file'} at a public https URL and use that URL instead`,
  );
}

const FORMAT_NAMES: Readonly<Record<string, string>> = { jpg: 'JPG', jpeg: 'JPEG', png: 'PNG', webp: 'WEBP', bmp: 'BMP', mp4: 'MP4', mov: 'MOV', webm: 'WebM', wav: 'WAV', mp3: 'MP3' };
/** The format names a rule's extensions stand for (jpg and jpeg are one format). */
function formatsOf(rule: FileLimits): Set<MediaFormat> {
  return new Set(rule.formats.map((f) => (f === 'jpg' ? 'jpeg' : f) as MediaFormat));
}
function formatList(rule: FileLimits): string {
  return [...new Set(rule.formats.filter((f) => f !== 'jpeg').map((f) => FORMAT_NAMES[f] ?? f.toUpperCase()))].join(', ');
}

function checkFile(model: ModelEntry, url: string, kind: MediaSlot['kind'], rule: FileLimits, pointer: string, r: ShotReport, files: LocalFiles | undefined): void {
  const info = files?.get(url);
  if (!info) return; // not inspected (pure validation without file facts)
  const noun = kind === 'image' ? 'image' : kind === 'video' ? 'video' : kind === 'audio' ? 'audio file' : 'file';
  if (!info.exists) {
    r.add('error', 'media-not-found', pointer, `local file ${url} does not exist (looked for ${info.absPath})`, 'paths are relative to the manifest file');
    return;
  }
  if (!info.isFile) {
    r.add('error', 'media-not-found', pointer, `${url} is not a regular file`, `point url at ${noun === 'image' ? 'an image' : `a ${noun}`} file`);
    return;
  }
  if (info.readError) {
    r.add('error', 'media-unreadable', pointer, `cannot read ${url}: ${info.readError}`, 'check the file permissions');
    return;
  }
  if (info.bytes > rule.maxBytes) {
    // Just over the limit both round to the same MB: then say it in bytes.
    const [size, limit] = mb(info.bytes) === mb(rule.maxBytes) ? [`${info.bytes} bytes`, `${rule.maxBytes} bytes (${mb(rule.maxBytes)})`] : [mb(info.bytes), mb(rule.maxBytes)];
    r.add('error', 'media-too-large', pointer, `${url} is ${size}; ${model.name} accepts ${kind === 'image' ? 'images' : `${noun}s`} up to ${limit}`, kind === 'image' ? 'compress or scale the image down' : `shorten or re-encode the ${noun}`);
  }
  if (!info.format) {
    r.add('error', 'media-format', pointer, `${url} is not a recognised ${noun} (its content is not ${formatList(rule)})`, `convert it to ${formatList(rule)}`);
    return;
  }
  const allowed = formatsOf(rule);
  if (!allowed.has(info.format)) {
    const article = kind === 'image' ? `a ${info.format.toUpperCase()} image` : `${kindOfFormat(info.format) === 'image' ? 'an image' : `a ${info.format.toUpperCase()} file`}`;
    r.add('error', 'media-format', pointer, `${url} is ${article}; ${model.name} accepts ${formatList(rule)}${kind !== 'image' ? ` ${noun}s here` : ''}`, `convert it to ${formatList(rule)}`);
    return;
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(url)?.[1]?.toLowerCase();
  const extFormat = ext === 'jpg' ? 'jpeg' : ext;
  if (extFormat && extFormat !== info.format && ['jpeg', 'png', 'webp', 'bmp', 'gif'].includes(extFormat) && kindOfFormat(info.format) === 'image') {
    r.add('warning', 'media-extension-mismatch', pointer, `${url} has extension .${ext} but is a ${info.format.toUpperCase()} image`, `rename it to .${info.format === 'jpeg' ? 'jpg' : info.format}`);
  }
  if (info.width !== undefined && info.height !== undefined) {
    const { width: w, height: h } = info;
    if (rule.maxSide !== undefined && Math.max(w, h) > rule.maxSide) {
      r.add('error', 'media-dimensions', pointer, `${url} is ${w}×${h} px; ${model.name} accepts at most ${rule.maxSide} px per side`, `scale it so both sides are ≤ ${rule.maxSide} px`);
    }
    if (rule.minSide !== undefined && Math.min(w, h) < rule.minSide) {
      r.add('error', 'media-dimensions', pointer, `${url} is ${w}×${h} px; ${model.name} needs at least ${rule.minSide} px per side`, `use ${kind === 'image' ? 'an image' : `a ${noun}`} with both sides ≥ ${rule.minSide} px`);
    }
    if (rule.minShortSide !== undefined && Math.min(w, h) < rule.minShortSide) {
      r.add('error', 'media-dimensions', pointer, `${url} is ${w}×${h} px; ${model.name} needs a short side of at least ${rule.minShortSide} px`, `use a larger ${noun}`);
    }
    if (rule.ratio && (w / h < rule.ratio.min - 1e-9 || w / h > rule.ratio.max + 1e-9)) {
      r.add('error', 'media-aspect', pointer, `${url} is ${w}×${h} px (ratio ${(w / h).toFixed(2)}); ${model.name} takes ratios from ${ratioText(rule.ratio.min)} to ${ratioText(rule.ratio.max)}`, 'crop it to a less extreme aspect ratio');
    }
  }
  if (rule.seconds && info.seconds !== undefined) {
    const s = info.seconds;
    if ((rule.seconds.min !== undefined && s < rule.seconds.min) || (rule.seconds.max !== undefined && s > rule.seconds.max)) {
      r.add('error', 'media-length', pointer, `${url} is ${s.toFixed(1)} s long; ${model.name} takes ${noun}s of ${rule.seconds.min ?? 0}–${rule.seconds.max ?? '∞'} s here`, rule.seconds.max !== undefined && s > rule.seconds.max ? `cut it to ${rule.seconds.max} s` : `use a ${noun} of at least ${rule.seconds.min} s`);
    }
  }
  if (rule.alphaAllowed === false && info.format === 'png' && info.hasAlpha) {
    r.add('warning', 'media-alpha', pointer, `${url} has an alpha channel; ${model.name} documents PNG without alpha`, 'flatten the image (remove transparency) or save it as JPEG');
  }
}

/** Image, video or audio, from a format recognised by its magic bytes. */
export function kindOfFormat(format: MediaFormat): 'image' | 'video' | 'audio' {
  return format === 'mp4' || format === 'mov' || format === 'webm' ? 'video' : format === 'wav' || format === 'mp3' ? 'audio' : 'image';
}

function ratioText(x: number): string {
  return x >= 1 ? `${+x.toFixed(2)}:1` : `1:${+(1 / x).toFixed(2)}`;
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

export type { ExpandedShot };
