// Media rules per variant (from the catalog's MediaRule) and checks of each image: url form,
// and for local files their existence, real format (magic bytes), byte size and pixel size.
import { siblingModel } from '../catalog/lookup.js';
import type { ImageRule, ModelEntry, UrlRule, UrlScheme } from '../catalog/model-entry.js';
import { describeSchemes, urlSchemeOf } from '../catalog/url-schemes.js';
import { DISPUTES, disputeMessage } from '../catalog/disputes.js';
import type { MediaItem } from '../types.js';
import type { ExpandedShot, ImageFormat, LocalFileInfo } from './manifest-types.js';
import type { ShotReport } from './shot-report.js';
import { urlKind } from './url-kind.js';
import { checkPromptRefs } from './validate-prompt-refs.js';

export type LocalFiles = ReadonlyMap<string, LocalFileInfo>;

interface Item {
  item: MediaItem;
  index: number;
}

/** Media items whose shape is right; malformed ones were reported by the schema check. */
function wellFormedItems(media: unknown): Item[] {
  if (!Array.isArray(media)) return [];
  const items: Item[] = [];
  media.forEach((m, index) => {
    if (m && typeof m === 'object' && typeof m.type === 'string' && typeof m.url === 'string') items.push({ item: m as MediaItem, index });
  });
  return items;
}

export function validateMedia(model: ModelEntry, es: ExpandedShot, r: ShotReport, files: LocalFiles | undefined): void {
  const shot = es.shot;
  const items = wellFormedItems(shot.media);
  const mediaPtr = r.pointerOf('media');
  const itemPtr = (i: number, key?: string) => `${mediaPtr}/${i}${key ? `/${key}` : ''}`;
  const rule = model.media;
  const hasMedia = Array.isArray(shot.media) && shot.media.length > 0;

  if (rule.kind !== 'img-url' && typeof shot.reference_image === 'string') {
    r.error(
      'field-not-supported',
      'reference_image',
      `${model.name} does not take reference_image (the Wan skill's name for the input image)`,
      rule.kind === 'none' ? 'remove reference_image' : 'put the image in media: [{type: image_url, url: …}]',
    );
  }
  if (rule.kind !== 'references') {
    for (const { item, index } of items) {
      if (item.ref_name !== undefined) {
        const r2v = siblingModel(model, 'r2v');
        r.add('error', 'field-not-supported', itemPtr(index, 'ref_name'), `ref_name is only used by r2v models, not ${model.name}`, r2v ? `remove ref_name, or use ${r2v.name}` : 'remove ref_name');
      }
    }
  }

  switch (rule.kind) {
    case 'none': {
      if (hasMedia) {
        const alt = ['it2v', 'kf2v', 'r2v']
          .map((v) => siblingModel(model, v as 'it2v'))
          .filter((m) => m !== undefined)
          .map((m) => m.name);
        r.error('media-not-accepted', 'media', `${model.name} is text-to-video and takes no media`, alt.length ? `remove media, or use ${alt.join(' / ')}` : 'remove media');
      }
      break;
    }
    case 'first-frame': {
      for (const { item, index } of items) {
        if (item.type !== 'image_url') {
          const kf = siblingModel(model, 'kf2v');
          // it2v's first frame is `image_url` in the API; `first_frame` is kf2v's vocabulary.
          const hint =
            item.type === 'first_frame'
              ? `write type: image_url (first_frame is the kf2v type${kf ? `; for a first and a last frame use ${kf.name}` : ''})`
              : item.type === 'last_frame' && kf
                ? `for first and last frames use ${kf.name}; for a first frame only write type: image_url`
                : 'write type: image_url';
          r.add('error', 'media-type-not-allowed', itemPtr(index, 'type'), `${model.name} takes its first frame as type image_url, not ${item.type}`, hint);
        }
      }
      const count = items.filter((i) => i.item.type === 'image_url').length;
      if (count === 0 && items.length === 0) r.error('media-count', 'media', `${model.name} needs exactly one image`, 'add media: [{type: image_url, url: …}]');
      else if (count > 1 && rule.several) {
        // One official page: the last image is used; another: at most one. Sent as written.
        const d = disputeMessage(DISPUTES[rule.several]);
        r.warn('disputed-rule', 'media', `${count} images: ${d.message}`, d.hint);
      } else if (count > 1) r.error('media-count', 'media', `${model.name} takes exactly one image, got ${count}`, 'keep one image_url item');
      break;
    }
    case 'keyframes': {
      for (const { item, index } of items) {
        if (item.type !== 'first_frame' && item.type !== 'last_frame') {
          r.add('error', 'media-type-not-allowed', itemPtr(index, 'type'), `${model.name} takes media of type first_frame and last_frame, not ${item.type}`, 'use type: first_frame for the opening frame and type: last_frame for the closing one');
        }
      }
      for (const type of ['first_frame', 'last_frame'] as const) {
        const n = items.filter((i) => i.item.type === type).length;
        if (n !== 1) r.error('media-count', 'media', `${model.name} needs exactly one ${type}, got ${n}`, n === 0 ? `add {type: ${type}, url: …} to media` : `keep one ${type} item`);
      }
      break;
    }
    case 'references': {
      for (const { item, index } of items) {
        if (item.type !== 'image_url') r.add('error', 'media-type-not-allowed', itemPtr(index, 'type'), `${model.name} takes reference images of type image_url, not ${item.type}`, 'use type: image_url');
      }
      const n = items.length;
      if (n < rule.min || n > rule.max) {
        r.error('media-count', 'media', `${model.name} takes ${rule.min}–${rule.max} reference images, got ${n}`, n < rule.min ? 'add media: [{type: image_url, url: …, ref_name: …}]' : `keep at most ${rule.max} images`);
      }
      checkRefNames(items, shot.prompt, r, itemPtr);
      break;
    }
    case 'img-url': {
      for (const { item, index } of items) {
        if (item.type !== 'image_url') r.add('error', 'media-type-not-allowed', itemPtr(index, 'type'), `${model.name} takes one input image (type image_url), not ${item.type}`, 'use reference_image: <url or path>, or media: [{type: image_url, url: …}]');
      }
      const fromMedia = Array.isArray(shot.media) ? shot.media.length : 0;
      const fromRef = typeof shot.reference_image === 'string' ? 1 : 0;
      if (fromMedia + fromRef === 0) r.error('media-count', undefined, `${model.name} needs an input image`, 'add reference_image: <https URL, oss:// URL or local path>');
      else if (fromRef && fromMedia) r.error('media-count', 'reference_image', `${model.name} takes exactly one image: both reference_image and media are given`, 'keep either reference_image or the media item');
      else if (fromMedia > 1) r.error('media-count', 'media', `${model.name} takes exactly one image, got ${fromMedia}`, 'keep one image');
      if (typeof shot.reference_image === 'string') checkImage(model, shot.reference_image, r.pointerOf('reference_image'), r, files);
      break;
    }
  }
  for (const { item, index } of items) checkImage(model, item.url, itemPtr(index, 'url'), r, files);
  checkSources(model, items, shot.reference_image, r, itemPtr);
}

/**
 * One warning per shot whose images reach the server in a way the model's own page does not name
 * although the service takes it (PixVerse: a local file, which is uploaded and sent as oss://, or
 * an oss:// URL). A warning, not an error: the official SDK uploads local files for any model. The
 * message carries no shot-specific text so that the CLI can group the same warning over many shots.
 */
function checkSources(model: ModelEntry, items: readonly Item[], referenceImage: unknown, r: ShotReport, itemPtr: (i: number, key?: string) => string): void {
  const undocumented = model.image.urls.undocumented;
  if (!undocumented?.schemes.includes('oss')) return;
  const uses: Array<{ kind: 'local' | 'oss'; pointer: string }> = [];
  if (typeof referenceImage === 'string') {
    const kind = urlKind(referenceImage);
    if (kind === 'local' || kind === 'oss') uses.push({ kind, pointer: r.pointerOf('reference_image') });
  }
  for (const { item, index } of items) {
    const kind = urlKind(item.url);
    if (kind === 'local' || kind === 'oss') uses.push({ kind, pointer: itemPtr(index, 'url') });
  }
  const first = uses[0];
  if (!first) return;
  const local = uses.some((u) => u.kind === 'local');
  const oss = uses.some((u) => u.kind === 'oss');
  const what = local
    ? `local image files are uploaded and sent as temporary oss:// URLs${oss ? ' (and oss:// URLs are given)' : ''}`
    : 'oss:// image URLs are given';
  r.add(
    'warning',
    'media-source-undocumented',
    first.pointer,
    `${what}, but ${undocumented.note}`,
    'nothing to change unless the server refuses the image; then put the image at a public https URL and use that URL instead',
  );
}

function checkRefNames(items: Item[], prompt: unknown, r: ShotReport, itemPtr: (i: number, key?: string) => string): void {
  const named = items.filter((i) => typeof i.item.ref_name === 'string');
  const firstAt = new Map<string, number>();
  for (const { item, index } of named) {
    const name = item.ref_name!;
    const first = firstAt.get(name);
    if (first === undefined) firstAt.set(name, index);
    else {
      r.add('error', 'ref-name-duplicate', itemPtr(index, 'ref_name'), `ref_name '${name}' is used by two images`, 'give each image its own ref_name');
    }
  }
  if (typeof prompt !== 'string') return;
  for (const problem of checkPromptRefs(prompt, named.map((i) => i.item.ref_name!))) {
    const at = problem.refName !== undefined ? itemPtr(firstAt.get(problem.refName)!, 'ref_name') : r.pointerOf('prompt');
    r.add(problem.severity, problem.code, at, problem.message, problem.hint);
  }
}

const FORMAT_NAMES: Readonly<Record<string, string>> = { jpg: 'JPG', jpeg: 'JPEG', png: 'PNG', webp: 'WEBP', bmp: 'BMP' };
/** The format names a rule's extensions stand for (jpg and jpeg are one format). */
function formatsOf(rule: ImageRule): Set<ImageFormat> {
  return new Set(rule.formats.map((f) => (f === 'jpg' ? 'jpeg' : f) as ImageFormat));
}
function formatList(rule: ImageRule): string {
  return [...new Set(rule.formats.filter((f) => f !== 'jpeg').map((f) => FORMAT_NAMES[f] ?? f.toUpperCase()))].join(', ');
}

function checkImage(model: ModelEntry, url: string, pointer: string, r: ShotReport, files: LocalFiles | undefined): void {
  const rule = model.image;
  if (urlKind(url) === 'local') {
    // A local file is uploaded and sent as an oss:// URL.
    if (!rule.urls.schemes.includes('oss')) {
      r.add('error', 'url-scheme', pointer, `${url} is a local file, which is sent as an oss:// URL; ${model.name} takes ${describeSchemes(rule.urls)} (the server answers 400 InvalidURL)`, 'put the image at a public https URL and use that URL');
      return;
    }
  } else {
    checkRemoteUrl(model.name, rule.urls, url, pointer, r);
    return;
  }
  const info = files?.get(url);
  if (!info) return; // not inspected (pure validation without file facts)
  if (!info.exists) {
    r.add('error', 'media-not-found', pointer, `local file ${url} does not exist (looked for ${info.absPath})`, 'paths are relative to the manifest file');
    return;
  }
  if (!info.isFile) {
    r.add('error', 'media-not-found', pointer, `${url} is not a regular file`, 'point url at an image file');
    return;
  }
  if (info.readError) {
    r.add('error', 'media-unreadable', pointer, `cannot read ${url}: ${info.readError}`, 'check the file permissions');
    return;
  }
  if (info.bytes > rule.maxBytes) {
    // Just over the limit both round to the same MB: then say it in bytes.
    const [size, limit] = mb(info.bytes) === mb(rule.maxBytes) ? [`${info.bytes} bytes`, `${rule.maxBytes} bytes (${mb(rule.maxBytes)})`] : [mb(info.bytes), mb(rule.maxBytes)];
    r.add('error', 'media-too-large', pointer, `${url} is ${size}; ${model.name} accepts images up to ${limit}`, 'compress or scale the image down');
  }
  if (!info.format) {
    r.add('error', 'media-format', pointer, `${url} is not a recognised image (its content is not ${formatList(rule)})`, `convert it to ${formatList(rule)}`);
    return;
  }
  const allowed = formatsOf(rule);
  if (!allowed.has(info.format)) {
    r.add('error', 'media-format', pointer, `${url} is a ${info.format.toUpperCase()} image; ${model.name} accepts ${formatList(rule)}`, `convert it to ${formatList(rule)}`);
    return;
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(url)?.[1]?.toLowerCase();
  const extFormat = ext === 'jpg' ? 'jpeg' : ext;
  if (extFormat && extFormat !== info.format && ['jpeg', 'png', 'webp', 'bmp', 'gif'].includes(extFormat)) {
    r.add('warning', 'media-extension-mismatch', pointer, `${url} has extension .${ext} but is a ${info.format.toUpperCase()} image`, `rename it to .${info.format === 'jpeg' ? 'jpg' : info.format}`);
  }
  if (info.width !== undefined && info.height !== undefined) {
    const { width: w, height: h } = info;
    if (rule.maxSide !== undefined && Math.max(w, h) > rule.maxSide) {
      r.add('error', 'media-dimensions', pointer, `${url} is ${w}×${h} px; ${model.name} accepts at most ${rule.maxSide} px per side`, `scale it so both sides are ≤ ${rule.maxSide} px`);
    }
    if (rule.minSide !== undefined && Math.min(w, h) < rule.minSide) {
      r.add('error', 'media-dimensions', pointer, `${url} is ${w}×${h} px; ${model.name} needs at least ${rule.minSide} px per side`, `use an image with both sides ≥ ${rule.minSide} px`);
    }
  }
  if (rule.alphaAllowed === false && info.format === 'png' && info.hasAlpha) {
    r.add('warning', 'media-alpha', pointer, `${url} has an alpha channel; ${model.name} documents PNG without alpha`, 'flatten the image (remove transparency) or save it as JPEG');
  }
}

/**
 * A URL sent as written: the field must take its scheme, as the service checks (400 InvalidURL,
 * "Invalid URL provided in your request."). Plain http is taken but gets a warning.
 */
export function checkRemoteUrl(modelName: string, urls: UrlRule, url: string, pointer: string, r: ShotReport): void {
  const scheme = urlSchemeOf(url);
  if (scheme !== undefined && urls.schemes.includes(scheme)) {
    if (scheme === 'http') r.add('warning', 'url-not-https', pointer, `${url} is plain http`, 'use an https URL if the host has one');
    return;
  }
  const shown = url.length > 60 ? `${url.slice(0, 57)}…` : url;
  const message = `${modelName} does not take ${describeUrl(url, scheme)} '${shown}': the server answers 400 InvalidURL (it takes ${describeSchemes(urls)})`;
  r.add('error', 'url-scheme', pointer, message, urlHint(url, scheme));
}

function describeUrl(url: string, scheme: UrlScheme | undefined): string {
  if (scheme === 'data') return 'data: URIs';
  const kind = urlKind(url);
  if (kind === 'file-url') return 'file:// URLs';
  if (kind === 'data') return 'a malformed data: URI';
  if (kind === 'https' || kind === 'http') return 'a malformed URL';
  return 'the URL';
}

function urlHint(url: string, scheme: UrlScheme | undefined): string {
  const kind = urlKind(url);
  if (kind === 'file-url') return `write the path relative to the manifest instead (it is uploaded), e.g. ${url.replace(/^file:\/\/(localhost)?/i, '').split('/').pop()}`;
  if (scheme === 'data') return 'save the data as a file and give its path relative to the manifest (it is uploaded)';
  if (kind === 'data') return 'write it as data:<mime type>;base64,<data>, or save it as a file and give its path';
  if (kind === 'https' || kind === 'http') return 'write a complete URL such as https://example.com/image.png';
  return 'use an https URL, an oss:// URL or a path relative to the manifest';
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}
