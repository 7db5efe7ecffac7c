// Turns a written config (untrusted: it is user code) plus environment and flags into a
// ResolvedConfig, or throws one UserError of kind 'config' listing every problem.
// Pure apart from reading the `env` object it is given.
import path from 'node:path';
import { MODELS } from '../core/catalog/models.js';
import { closest } from '../core/catalog/suggest.js';
import { UserError } from '../core/errors.js';
import { DEFAULT_BACKOFF } from '../core/task/backoff.js';
import { DEFAULT_POLL_SCHEDULE } from '../core/task/poll-schedule.js';
import { REGIONS, TIERS, type Region, type Tier } from '../core/types.js';
import { BASE_URLS } from '../dashscope/client-types.js';
import { parseStoreUrl } from '../core/store/store-location.js';
import { needsPathStyle } from './store-endpoint.js';
import type { QuotaOverride, ResolvedConfig, ResolvedStore } from './config-types.js';

export interface ResolveConfigOptions {
  /** Absolute path of the config file the value came from, if any. */
  configFile?: string;
  /** Environment (`OUTPUT_DIR`, `PIXVERSE_REGION`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative `--output-dir`/`OUTPUT_DIR` values are resolved against. */
  cwd: string;
  /**
   * Directory the default `output/` goes in: the manifest's project (the folder of the config
   * file found from the manifest upward, else its nearest ancestor with package.json or .git,
   * else its own folder; see loadConfig). Default `cwd`.
   */
  projectDir?: string;
  /** Command-line overrides; they win over everything. */
  flags?: { region?: string; outputDir?: string; baseUrl?: string; store?: string };
}

const CONFIG_DEFAULTS = {
  region: 'cn-beijing' as Region,
  outputDir: 'output',
  /** The account has 20 task queries/s shared by every client; leave some for others. */
  taskQueriesPerSecond: 15,
  // The engine's own defaults, so a library run without config and a CLI run agree.
  polling: { minIntervalMs: DEFAULT_POLL_SCHEDULE.minIntervalMs, maxIntervalMs: DEFAULT_POLL_SCHEDULE.maxIntervalMs },
  retries: { maxAttempts: 5, baseDelayMs: DEFAULT_BACKOFF.baseMs, maxDelayMs: DEFAULT_BACKOFF.maxMs },
  timeouts: { requestMs: 30000, downloadMs: 60000 },
  currency: 'CNY',
} as const;

/** The account's documented query limit for the task endpoints (spec §4). */
const ACCOUNT_TASK_QPS = 20;

const TOP_KEYS = ['region', 'baseUrl', 'workspace', 'outputDir', 'quotas', 'taskQueriesPerSecond', 'polling', 'retries', 'timeouts', 'prices', 'budget', 'store'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function resolveConfig(written: unknown, opts: ResolveConfigOptions): ResolvedConfig {
  const problems: string[] = [];
  const where = opts.configFile ? path.basename(opts.configFile) : 'config';
  const c: Obj = written === undefined || written === null ? {} : isObj(written) ? written : (problems.push(`${where} must export an object (use defineConfig({...}))`), {});

  checkKeys(c, TOP_KEYS, '', problems);
  const sources: Record<string, 'flag' | 'env' | 'config' | 'default'> = {};
  const pick = <T>(name: string, flag: T | undefined, env: T | undefined, config: T | undefined, fallback: T): T => {
    if (flag !== undefined) return (sources[name] = 'flag'), flag;
    if (env !== undefined) return (sources[name] = 'env'), env;
    if (config !== undefined) return (sources[name] = 'config'), config;
    sources[name] = 'default';
    return fallback;
  };

  const regionRaw = pick<unknown>('region', opts.flags?.region, nonEmpty(opts.env['PIXVERSE_REGION']), c['region'], CONFIG_DEFAULTS.region);
  let region: Region = CONFIG_DEFAULTS.region;
  if (typeof regionRaw === 'string' && (REGIONS as readonly string[]).includes(regionRaw)) region = regionRaw as Region;
  else {
    const s = typeof regionRaw === 'string' ? closest(regionRaw, REGIONS) : undefined;
    problems.push(`region ${JSON.stringify(regionRaw)} (from ${sources['region']}) is not one of ${REGIONS.join(', ')}${s ? ` — did you mean '${s}'?` : ''}`);
  }

  const baseUrlRaw = pick<unknown>('baseUrl', opts.flags?.baseUrl, undefined, c['baseUrl'], undefined);
  let baseUrl = BASE_URLS[region];
  if (baseUrlRaw !== undefined) {
    if (typeof baseUrlRaw === 'string' && /^https?:\/\/[^\s]+$/.test(baseUrlRaw)) baseUrl = baseUrlRaw.replace(/\/+$/, '');
    else problems.push(`baseUrl must be an http(s) URL such as ${BASE_URLS['cn-beijing']}`);
  }

  const workspace = c['workspace'];
  if (workspace !== undefined && (typeof workspace !== 'string' || workspace === '')) problems.push('workspace must be a non-empty string');

  const outRaw = pick<unknown>('outputDir', opts.flags?.outputDir, nonEmpty(opts.env['OUTPUT_DIR']), c['outputDir'], CONFIG_DEFAULTS.outputDir);
  const projectDir = opts.projectDir ?? opts.cwd;
  let outputDir = path.resolve(projectDir, CONFIG_DEFAULTS.outputDir);
  if (typeof outRaw !== 'string' || outRaw === '') problems.push('outputDir must be a non-empty string');
  else {
    // A path in the config file is relative to that file; flags and env are relative to the cwd
    // (the user typed them there); the default belongs to the manifest's project, wherever the
    // command runs from.
    const source = sources['outputDir'];
    const base = source === 'config' && opts.configFile ? path.dirname(opts.configFile) : source === 'default' ? projectDir : opts.cwd;
    outputDir = path.resolve(base, outRaw);
  }

  const quotas = resolveQuotas(c['quotas'], problems);
  const taskQueriesPerSecond = num(c, 'taskQueriesPerSecond', CONFIG_DEFAULTS.taskQueriesPerSecond, problems, { min: 0.1, max: ACCOUNT_TASK_QPS });
  const polling = section(c, 'polling', CONFIG_DEFAULTS.polling, problems);
  if (polling.minIntervalMs > polling.maxIntervalMs) problems.push(`polling.minIntervalMs (${polling.minIntervalMs}) must not exceed polling.maxIntervalMs (${polling.maxIntervalMs})`);
  const retries = section(c, 'retries', CONFIG_DEFAULTS.retries, problems);
  if (!Number.isInteger(retries.maxAttempts) || retries.maxAttempts < 1) problems.push('retries.maxAttempts must be an integer ≥ 1');
  const timeouts = section(c, 'timeouts', CONFIG_DEFAULTS.timeouts, problems);
  const prices = resolvePrices(c['prices'], problems);
  const budget = resolveBudget(c['budget'], problems);
  const store = resolveStore(c['store'], opts, sources, problems);

  if (problems.length > 0) {
    throw new UserError(
      'config',
      'invalid-config',
      `invalid configuration${opts.configFile ? ` in ${opts.configFile}` : ''}:\n  - ${problems.join('\n  - ')}`,
      'fix the values above; see defineConfig() in pixverse.config.ts for the types',
    );
  }
  return {
    region,
    baseUrl,
    ...(typeof workspace === 'string' ? { workspace } : {}),
    outputDir,
    quotas,
    taskQueriesPerSecond,
    polling,
    retries,
    timeouts,
    ...(prices ? { prices } : {}),
    budget,
    ...(store ? { store } : {}),
    ...(opts.configFile ? { configFile: opts.configFile } : {}),
    sources,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function checkKeys(obj: Obj, allowed: readonly string[], prefix: string, problems: string[]): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const s = closest(key, allowed);
    problems.push(`unknown key '${prefix}${key}'${s ? ` — did you mean '${prefix}${s}'?` : ` (allowed: ${allowed.join(', ')})`}`);
  }
}

function num(obj: Obj, key: string, fallback: number, problems: string[], range: { min: number; max?: number }, prefix = ''): number {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < range.min || (range.max !== undefined && v > range.max)) {
    problems.push(`${prefix}${key} must be a number ≥ ${range.min}${range.max !== undefined ? ` and ≤ ${range.max}` : ''}, got ${JSON.stringify(v)}`);
    return fallback;
  }
  return v;
}

function section<T extends Record<string, number>>(c: Obj, name: string, defaults: T, problems: string[]): { -readonly [K in keyof T]: number } {
  const raw = c[name];
  const out = { ...defaults } as { -readonly [K in keyof T]: number };
  if (raw === undefined) return out;
  if (!isObj(raw)) {
    problems.push(`${name} must be an object`);
    return out;
  }
  checkKeys(raw, Object.keys(defaults), `${name}.`, problems);
  for (const key of Object.keys(defaults) as (keyof T & string)[]) {
    (out as Record<string, number>)[key] = num(raw, key, defaults[key] as number, problems, { min: key === 'maxAttempts' ? 1 : 0 }, `${name}.`);
  }
  return out;
}

function resolveQuotas(raw: unknown, problems: string[]): Record<string, Required<QuotaOverride>> {
  const out: Record<string, Required<QuotaOverride>> = {};
  for (const m of MODELS.values()) out[m.quota.family] = { runningTasks: m.quota.runningTasks, submitsPerSecond: m.quota.submitsPerSecond };
  if (raw === undefined) return out;
  if (!isObj(raw)) {
    problems.push('quotas must be an object keyed by quota family');
    return out;
  }
  for (const [family, value] of Object.entries(raw)) {
    const current = out[family];
    if (!current) {
      const s = closest(family, Object.keys(out));
      problems.push(`quotas: unknown quota family '${family}'${s ? ` — did you mean '${s}'?` : ` (families: ${Object.keys(out).join(', ')})`}`);
      continue;
    }
    if (!isObj(value)) {
      problems.push(`quotas.${family} must be an object {runningTasks, submitsPerSecond}`);
      continue;
    }
    checkKeys(value, ['runningTasks', 'submitsPerSecond'], `quotas.${family}.`, problems);
    const running = num(value, 'runningTasks', current.runningTasks, problems, { min: 1 }, `quotas.${family}.`);
    if (!Number.isInteger(running)) problems.push(`quotas.${family}.runningTasks must be an integer`);
    out[family] = { runningTasks: running, submitsPerSecond: num(value, 'submitsPerSecond', current.submitsPerSecond, problems, { min: 0.1 }, `quotas.${family}.`) };
  }
  return out;
}

function resolvePrices(raw: unknown, problems: string[]): ResolvedConfig['prices'] {
  if (raw === undefined) return undefined;
  if (!isObj(raw) || !isObj(raw['perSecond'])) {
    problems.push("prices must be { currency?: 'CNY', perSecond: { '<model or family>': { '720P': 0.5, … } } }");
    return undefined;
  }
  checkKeys(raw, ['currency', 'perSecond'], 'prices.', problems);
  const currency = raw['currency'] ?? CONFIG_DEFAULTS.currency;
  if (typeof currency !== 'string' || currency === '') problems.push('prices.currency must be a string such as CNY');
  const known = new Set<string>();
  for (const m of MODELS.values()) known.add(m.name).add(m.family);
  const perSecond: Record<string, Partial<Record<Tier, number>>> = {};
  for (const [key, tiers] of Object.entries(raw['perSecond'])) {
    if (!known.has(key)) {
      const s = closest(key, known);
      problems.push(`prices.perSecond: '${key}' is neither a model nor a family${s ? ` — did you mean '${s}'?` : ''}`);
      continue;
    }
    if (!isObj(tiers)) {
      problems.push(`prices.perSecond.${key} must map tiers (360P…1080P) to a price per second`);
      continue;
    }
    const entry: Partial<Record<Tier, number>> = {};
    for (const [tier, price] of Object.entries(tiers)) {
      if (!(TIERS as readonly string[]).includes(tier)) problems.push(`prices.perSecond.${key}: unknown tier '${tier}' (tiers: ${TIERS.join(', ')})`);
      else if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) problems.push(`prices.perSecond.${key}.${tier} must be a number ≥ 0`);
      else entry[tier as Tier] = price;
    }
    perSecond[key] = entry;
  }
  return { currency: typeof currency === 'string' ? currency : CONFIG_DEFAULTS.currency, perSecond };
}

function resolveBudget(raw: unknown, problems: string[]): ResolvedConfig['budget'] {
  if (raw === undefined) return {};
  if (!isObj(raw)) {
    problems.push('budget must be an object {maxBillableSeconds?, maxCost?}');
    return {};
  }
  checkKeys(raw, ['maxBillableSeconds', 'maxCost'], 'budget.', problems);
  const out: ResolvedConfig['budget'] = {};
  for (const key of ['maxBillableSeconds', 'maxCost'] as const) {
    if (raw[key] === undefined) continue;
    const v = num(raw, key, 0, problems, { min: 0 }, 'budget.');
    if (typeof raw[key] === 'number') out[key] = v;
  }
  return out;
}

/**
 * The store: URL from `--store` > PIXVERSE_STORE > config `store.url`; endpoint from config >
 * AWS_ENDPOINT_URL_S3 > AWS_ENDPOINT_URL; region from config > AWS_REGION > AWS_DEFAULT_REGION
 * (else the SDK's profile chain). Credentials are not configuration: the SDK's chain finds them.
 */
function resolveStore(
  raw: unknown,
  opts: ResolveConfigOptions,
  sources: Record<string, 'flag' | 'env' | 'config' | 'default'>,
  problems: string[],
): ResolvedStore | undefined {
  let written: Obj = {};
  if (raw !== undefined) {
    if (!isObj(raw)) problems.push("store must be { url: 's3://bucket/prefix', endpoint?, region?, forcePathStyle? }");
    else {
      written = raw;
      checkKeys(raw, ['url', 'endpoint', 'region', 'forcePathStyle'], 'store.', problems);
    }
  }
  const flag = nonEmpty(opts.flags?.store);
  const env = nonEmpty(opts.env['PIXVERSE_STORE']);
  const url = flag ?? env ?? written['url'];
  if (url === undefined) {
    if (raw !== undefined && isObj(raw)) problems.push("store.url is missing (e.g. 's3://my-bucket/renders')");
    return undefined;
  }
  const source = flag !== undefined ? 'flag' : env !== undefined ? 'env' : 'config';
  sources['store'] = source;
  const from = source === 'flag' ? '--store' : source === 'env' ? 'PIXVERSE_STORE' : 'store.url';
  if (typeof url !== 'string') {
    problems.push(`${from} must be a string such as s3://my-bucket/renders`);
    return undefined;
  }
  const parsed = parseStoreUrl(url);
  if (!parsed.ok) {
    problems.push(`${from}: ${parsed.message}`);
    return undefined;
  }
  const endpointRaw = written['endpoint'] ?? nonEmpty(opts.env['AWS_ENDPOINT_URL_S3']) ?? nonEmpty(opts.env['AWS_ENDPOINT_URL']);
  let endpoint: string | undefined;
  if (endpointRaw !== undefined) {
    if (typeof endpointRaw === 'string' && /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(endpointRaw) && !/^https?:\/\/[^/]*@/.test(endpointRaw)) endpoint = endpointRaw.replace(/\/+$/, '');
    else problems.push('store.endpoint must be an http(s) URL without credentials, such as https://s3.oss-cn-beijing.aliyuncs.com');
  }
  const regionRaw = written['region'] ?? nonEmpty(opts.env['AWS_REGION']) ?? nonEmpty(opts.env['AWS_DEFAULT_REGION']);
  if (regionRaw !== undefined && (typeof regionRaw !== 'string' || !/^[a-z0-9-]+$/i.test(regionRaw))) problems.push('store.region must be a region name such as us-east-1 or cn-beijing');
  const pathStyle = written['forcePathStyle'];
  if (pathStyle !== undefined && typeof pathStyle !== 'boolean') problems.push('store.forcePathStyle must be true or false');
  return {
    url: url.trim(),
    location: parsed.location,
    ...(endpoint ? { endpoint } : {}),
    ...(typeof regionRaw === 'string' ? { region: regionRaw } : {}),
    forcePathStyle: typeof pathStyle === 'boolean' ? pathStyle : needsPathStyle(endpoint),
    source,
  };
}
