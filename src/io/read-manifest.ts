// Reading a manifest from disk: size guard, YAML with positions, schema, defaults and sweeps,
// local media facts, catalog rules — and planning on top. The pure steps live in src/core; this
// file only adds the file system and puts line:col on every issue.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { expandShots } from '../core/manifest/expand-shots.js';
import type { ExpandedShot, LocalFileInfo } from '../core/manifest/manifest-types.js';
import { createSchemaChecker, type SchemaChecker } from '../core/manifest/schema-check.js';
import { shotIdProblem } from '../core/manifest/shot-id.js';
import { isLocalUrl } from '../core/manifest/url-kind.js';
import { FLAT_MEDIA_FIELDS } from '../core/catalog/rules/media.js';
import { mergeRepeats, validateShots } from '../core/manifest/validate-shots.js';
import { summarizePlans, type PlanSummary } from '../core/plan/cost.js';
import { planShots, type LocalFileFacts } from '../core/plan/plan-shots.js';
import type { Issue, PlannedRequest, Region, Shot, SourcePos } from '../core/types.js';
import type { ResolvedConfig } from '../config/config-types.js';
import type { HostKind } from '../core/catalog/regions.js';
import { readLocalMedia } from './media-info.js';
import { parseManifestYaml } from './read-manifest-yaml.js';

/** Manifests larger than this are refused before reading (a 10,000-shot manifest is ~2 MB). */
export const DEFAULT_MAX_MANIFEST_BYTES = 5 * 1024 * 1024;

export interface LoadManifestOptions {
  /** Region the shots will be sent to; models must be hosted there. Default `cn-beijing`. */
  region?: Region;
  /** The kind of host the shots go to (a model documented only on workspace hosts needs one). */
  host?: HostKind;
  /** Refuse files larger than this many bytes. Default 5 MB. */
  maxBytes?: number;
  /** Inspect local media files (existence, format, size, hash). Default true. */
  readMedia?: boolean;
  /** Shown in positions instead of the absolute path (e.g. relative to the cwd). */
  displayPath?: string;
  /** A compiled schema checker to reuse across manifests. */
  schemaChecker?: SchemaChecker;
}

export interface LoadedManifest {
  /** Absolute path of the manifest. */
  sourceFile: string;
  /** The path used in positions (`jobs/x.yaml`). */
  displayFile: string;
  /** `name:` of the manifest (outputs go to `<outputDir>/<name>/`); the file's base name if unusable. */
  name: string;
  /** The manifest as plain data (undefined when it could not be parsed). */
  manifest: unknown;
  /** Shots after defaults and sweeps, in manifest order. */
  shots: Shot[];
  /** The same shots with the places their values came from. */
  expanded: ExpandedShot[];
  /** Every issue, errors and warnings, in file order, with positions. */
  issues: Issue[];
  /** Local media files by url as written. */
  localFiles: ReadonlyMap<string, LocalFileInfo>;
  /** sha256 of the manifest bytes (for run records); undefined when not read. */
  manifestSha256?: string;
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

export async function loadManifest(file: string, opts: LoadManifestOptions = {}): Promise<LoadedManifest> {
  const sourceFile = path.resolve(file);
  const displayFile = opts.displayPath ?? file;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  const fallbackName = path.basename(sourceFile).replace(/\.(ya?ml)$/i, '');
  const empty = (issue: Issue): LoadedManifest => ({
    sourceFile, displayFile, name: fallbackName, manifest: undefined, shots: [], expanded: [], issues: [issue], localFiles: new Map(),
  });
  const at: SourcePos = { file: displayFile, line: 1, col: 1 };

  let size: number;
  try {
    const st = await stat(sourceFile);
    if (!st.isFile()) return empty({ severity: 'error', code: 'not-a-file', message: `${displayFile} is not a file`, hint: 'give the path of a .yaml manifest', pos: at });
    size = st.size;
  } catch {
    return empty({ severity: 'error', code: 'file-not-found', message: `${displayFile} does not exist`, hint: 'check the path', pos: at });
  }
  // Checked before reading: a huge file is refused without loading it into memory.
  if (size > maxBytes) {
    return empty({
      severity: 'error',
      code: 'file-too-large',
      message: `${displayFile} is ${(size / 1024 / 1024).toFixed(1)} MB; manifests are limited to ${(maxBytes / 1024 / 1024).toFixed(0)} MB`,
      hint: 'split the batch into several manifests, or use sweeps instead of writing every shot out',
      pos: at,
    });
  }
  const bytes = await readFile(sourceFile);
  const manifestSha256 = createHash('sha256').update(bytes).digest('hex');
  const parsed = parseManifestYaml(bytes.toString('utf8'), displayFile);
  if (parsed.data === undefined) return { ...empty(parsed.issues[0]!), issues: sortIssues(parsed.issues), manifestSha256 };

  const checker = opts.schemaChecker ?? createSchemaChecker();
  const issues: Issue[] = [...parsed.issues, ...checker.check(parsed.data)];
  const expansion = expandShots(parsed.data);
  issues.push(...mergeRepeats(expansion.issues));

  const manifestDir = path.dirname(sourceFile);
  const localFiles = opts.readMedia === false ? new Map<string, LocalFileInfo>() : await readLocalMedia(localUrls(expansion.shots), manifestDir);
  issues.push(...validateShots(expansion.shots, { region: opts.region ?? 'cn-beijing', host: opts.host ?? 'dashscope', ...(opts.readMedia === false ? {} : { localFiles }) }));

  // The schema leaves pattern checks to the validators; `name` becomes the output directory.
  const data = parsed.data as { name?: unknown };
  const nameProblem = typeof data?.name === 'string' ? shotIdProblem(data.name) : undefined;
  if (nameProblem !== undefined) {
    issues.push({
      severity: 'error',
      code: 'unsafe-name',
      message: `name '${String(data.name)}' cannot be used as the output directory: ${nameProblem}`,
      hint: `use letters, digits, '.', '_' and '-', e.g. name: ${fallbackName}`,
      pointer: '/name',
    });
  }
  for (const issue of issues) {
    if (issue.pointer !== undefined && !issue.pos) issue.pos = parsed.locate(issue.pointer, { key: issue.code === 'unknown-key' });
    for (const r of issue.related ?? []) if (!r.pos) r.pos = parsed.locate(r.pointer);
  }
  return {
    sourceFile,
    displayFile,
    name: typeof data?.name === 'string' && nameProblem === undefined ? data.name : fallbackName,
    manifest: parsed.data,
    shots: expansion.shots.map((e) => e.shot),
    expanded: expansion.shots,
    issues: sortIssues(issues),
    localFiles,
    manifestSha256,
  };
}

/** Every local path a shot names in a media field (whatever its model takes: the rules say). */
function localUrls(shots: readonly ExpandedShot[]): Set<string> {
  const urls = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v !== '' && isLocalUrl(v)) urls.add(v);
  };
  for (const { shot } of shots) {
    if (Array.isArray(shot.media)) {
      for (const m of shot.media) {
        add(m?.url);
        add(m?.reference_voice);
      }
    }
    add(shot.reference_image);
    for (const field of FLAT_MEDIA_FIELDS) {
      const v = shot[field];
      if (Array.isArray(v)) v.forEach(add);
      else add(v);
    }
  }
  return urls;
}

/** File order (line, then column); issues without a position first; stable otherwise. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.pos?.line ?? 0) - (b.issue.pos?.line ?? 0) || (a.issue.pos?.col ?? 0) - (b.issue.pos?.col ?? 0) || a.i - b.i)
    .map((x) => x.issue);
}

export interface ManifestPlan {
  loaded: LoadedManifest;
  /** Empty when the manifest has errors. */
  plans: PlannedRequest[];
  issues: Issue[];
  summary: PlanSummary;
  /** `<outputDir>/<manifest name>` (absolute). */
  outputDir: string;
}

/**
 * Load, validate and plan; no network. Plans are only made when there is no error. `host`
 * overrides the config's (an emulator run serves every model whatever the host).
 */
export async function planManifest(file: string, config: ResolvedConfig, opts: Omit<LoadManifestOptions, 'region'> = {}): Promise<ManifestPlan> {
  const loaded = await loadManifest(file, { ...opts, region: config.region, host: opts.host ?? config.host });
  const outputDir = path.join(config.outputDir, loaded.name);
  if (hasErrors(loaded.issues)) return { loaded, plans: [], issues: loaded.issues, summary: summarizePlans([]), outputDir };
  const facts = new Map<string, LocalFileFacts>();
  for (const [url, info] of loaded.localFiles) {
    if (!info.sha256) continue;
    facts.set(url, {
      absPath: info.absPath,
      sha256: info.sha256,
      bytes: info.bytes,
      ...(info.kind ? { kind: info.kind } : {}),
      ...(info.seconds !== undefined ? { seconds: info.seconds } : {}),
      ...(info.kind === 'video' && info.height !== undefined ? { height: Math.min(info.width ?? info.height, info.height) } : {}),
    });
  }
  const plans = planShots(loaded.shots, { localFiles: facts, region: config.region, ...(config.prices ? { prices: config.prices } : {}) });
  return { loaded, plans, issues: loaded.issues, summary: summarizePlans(plans, config.prices?.currency ?? 'CNY'), outputDir };
}
