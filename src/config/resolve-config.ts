// Turns a written config (untrusted: it is user code) plus environment and flags into a
// ResolvedConfig, or throws one UserError of kind 'config' listing every problem.
// Pure apart from reading the `env` object it is given.
import path from 'node:path';
import { MODELS } from '../core/catalog/models.js';
import { BASE_URLS, REGION_NAMES, WORKSPACE_ID_PATTERN, workspaceBaseUrl, type HostKind } from '../core/catalog/regions.js';
import { closest } from '../core/catalog/suggest.js';
import { UserError } from '../core/errors.js';
import { DEFAULT_BACKOFF } from '../core/task/backoff.js';
import { DEFAULT_POLL_SCHEDULE } from '../core/task/poll-schedule.js';
import { REGIONS, TIERS, type Region, type Tier } from '../core/types.js';
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
  /** The config file as the user sees it (relative to the cwd), for messages. */
  configShown?: string;
  /** Where a key path is written in the config file, when that can be known. */
  locate?: (keyPath: readonly string[]) => { line: number; col: number } | undefined;
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

const TOP_KEYS = ['region', 'host', 'baseUrl', 'modelStudioProxies', 'workspace', 'outputDir', 'quotas', 'taskQueriesPerSecond', 'polling', 'retries', 'timeouts', 'prices', 'budget', 'store'];

type Obj = Record<string, unknown>;

type Source = 'flag' | 'env' | 'config' | 'default';

/** What is wrong, with the key it is about (a path into the config) and where the value came from. */
interface Problem {
  keyPath: readonly string[];
  message: string;
  source: Source;
}

/** Collects every problem, so one error lists them all. */
class Problems {
  readonly list: Problem[] = [];
  /** A problem with a config-file value (`keyPath` is a path into the written config). */
  add(keyPath: readonly string[], message: string, source: Source = 'config'): void {
    this.list.push({ keyPath, message, source });
  }
}

/** How a flag or an environment variable is named in messages. */
const FLAG_NAMES: Readonly<Record<string, string>> = { region: '--region', outputDir: '--output-dir', baseUrl: '--base-url', store: '--store' };
const ENV_NAMES: Readonly<Record<string, string>> = { region: 'PIXVERSE_REGION', outputDir: 'OUTPUT_DIR' };

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function resolveConfig(written: unknown, opts: ResolveConfigOptions): ResolvedConfig {
  const problems = new Problems();
  const where = opts.configShown ?? (opts.configFile ? path.basename(opts.configFile) : 'the config');
  const c: Obj = written === undefined || written === null ? {} : isObj(written) ? written : (problems.add([], `${where} must export an object, got ${describe(written)} (use export default defineConfig({ … }))`), {});

  checkKeys(c, TOP_KEYS, [], problems);
  const sources: Record<string, Source> = {};
  const pick = <T>(name: string, flag: T | undefined, env: T | undefined, config: T | undefined, fallback: T): T => {
    if (flag !== undefined) return (sources[name] = 'flag'), flag;
    if (env !== undefined) return (sources[name] = 'env'), env;
    if (config !== undefined) return (sources[name] = 'config'), config;
    sources[name] = 'default';
    return fallback;
  };
  /** `--region "mars"`, `PIXVERSE_REGION="mars"` or `region "mars"`: the value as the user wrote it. */
  const named = (name: string, value: unknown): string => {
    const source = sources[name];
    const label = source === 'flag' ? FLAG_NAMES[name] : source === 'env' ? ENV_NAMES[name] : name;
    return `${label ?? name} ${JSON.stringify(value)}`;
  };

  const regionRaw = pick<unknown>('region', opts.flags?.region, nonEmpty(opts.env['PIXVERSE_REGION']), c['region'], CONFIG_DEFAULTS.region);
  let region: Region = CONFIG_DEFAULTS.region;
  if (typeof regionRaw === 'string' && (REGIONS as readonly string[]).includes(regionRaw)) region = regionRaw as Region;
  else {
    const s = typeof regionRaw === 'string' ? closest(regionRaw, REGIONS) : undefined;
    problems.add(['region'], `${named('region', regionRaw)} is not a region: use one of ${REGIONS.join(', ')}${s ? ` (did you mean '${s}'?)` : ''}`, sources['region']);
  }

  const workspace = c['workspace'];
  if (workspace !== undefined && (typeof workspace !== 'string' || workspace === '')) problems.add(['workspace'], `workspace must be a non-empty string (a workspace id such as ws-…), got ${describe(workspace)}`);

  // The host: the region's shared DashScope host, or the workspace's own host (the only one in
  // Frankfurt and Tokyo; recommended by the docs elsewhere); a base URL set by hand wins.
  const hostRaw = c['host'];
  let host: HostKind = BASE_URLS[region] ? 'dashscope' : 'workspace';
  if (hostRaw !== undefined) {
    if (hostRaw === 'dashscope' || hostRaw === 'workspace') host = hostRaw;
    else problems.add(['host'], `host must be 'dashscope' (the region's shared host) or 'workspace' ({WorkspaceId}.{region}.maas.aliyuncs.com), got ${describe(hostRaw)}`);
  }
  if (host === 'dashscope' && !BASE_URLS[region]) {
    problems.add(['host'], `region ${region} (${REGION_NAMES[region]}) has no shared DashScope host: it is reached only through a workspace host; set host: 'workspace' and workspace: '<your WorkspaceId>'`);
  }
  let baseUrl = BASE_URLS[region] ?? '';
  if (host === 'workspace') {
    if (typeof workspace !== 'string' || workspace === '') {
      problems.add(['workspace'], `${hostRaw === undefined ? `region ${region} (${REGION_NAMES[region]}) is reached only through a workspace host` : "host 'workspace'"}: set workspace: '<your WorkspaceId>' (the id on the console's workspace page; the API key must belong to that workspace)`);
    } else if (!WORKSPACE_ID_PATTERN.test(workspace)) {
      problems.add(['workspace'], `workspace ${JSON.stringify(workspace)} cannot be part of a host name: use the workspace id as the console shows it (letters, digits and '-')`);
    } else baseUrl = workspaceBaseUrl(workspace, region);
  }

  const baseUrlRaw = pick<unknown>('baseUrl', opts.flags?.baseUrl, undefined, c['baseUrl'], undefined);
  if (baseUrlRaw !== undefined) {
    if (typeof baseUrlRaw === 'string' && /^https?:\/\/[^\s]+$/.test(baseUrlRaw)) {
      baseUrl = baseUrlRaw.replace(/\/+$/, '');
      host = 'custom';
    } else problems.add(['baseUrl'], `${named('baseUrl', baseUrlRaw)} is not an http(s) URL: write one such as ${BASE_URLS['cn-beijing']}`, sources['baseUrl']);
  }

  const proxiesRaw = c['modelStudioProxies'];
  const modelStudioProxies: string[] = [];
  if (proxiesRaw !== undefined) {
    if (!Array.isArray(proxiesRaw)) problems.add(['modelStudioProxies'], `modelStudioProxies must be a list of base URLs, got ${describe(proxiesRaw)}`);
    else {
      proxiesRaw.forEach((p: unknown, i) => {
        if (typeof p === 'string' && /^https?:\/\/[^\s]+$/.test(p)) modelStudioProxies.push(p.replace(/\/+$/, ''));
        else problems.add(['modelStudioProxies', String(i)], `modelStudioProxies[${i}] ${describe(p)} is not an http(s) URL: write the proxy's base URL, e.g. https://dashscope-gw.example.com/api/v1`);
      });
    }
  }

  const outRaw = pick<unknown>('outputDir', opts.flags?.outputDir, nonEmpty(opts.env['OUTPUT_DIR']), c['outputDir'], CONFIG_DEFAULTS.outputDir);
  const projectDir = opts.projectDir ?? opts.cwd;
  let outputDir = path.resolve(projectDir, CONFIG_DEFAULTS.outputDir);
  if (typeof outRaw !== 'string' || outRaw === '') problems.add(['outputDir'], `outputDir must be a non-empty string (a folder path), got ${describe(outRaw)}`, sources['outputDir']);
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
  if (polling.minIntervalMs > polling.maxIntervalMs) problems.add(['polling', 'minIntervalMs'], `polling.minIntervalMs (${polling.minIntervalMs}) must not exceed polling.maxIntervalMs (${polling.maxIntervalMs})`);
  const retries = section(c, 'retries', CONFIG_DEFAULTS.retries, problems);
  if (!Number.isInteger(retries.maxAttempts) || retries.maxAttempts < 1) problems.add(['retries', 'maxAttempts'], `retries.maxAttempts must be an integer ≥ 1, got ${describe(retries.maxAttempts)}`);
  const timeouts = section(c, 'timeouts', CONFIG_DEFAULTS.timeouts, problems);
  const prices = resolvePrices(c['prices'], problems);
  const budget = resolveBudget(c['budget'], problems);
  const store = resolveStore(c['store'], opts, sources, problems);

  if (problems.list.length > 0) throw configProblemsError(problems.list, opts, where);
  return {
    region,
    host,
    baseUrl,
    ...(typeof workspace === 'string' ? { workspace } : {}),
    modelStudioProxies,
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

/**
 * One error for every problem, each on its own line, placed (`file:line:col`) when its key is
 * found in the config file. A wrong command-line value makes it a usage error (exit 2); the
 * config file and the environment are configuration (exit 3).
 */
function configProblemsError(list: readonly Problem[], opts: ResolveConfigOptions, where: string): UserError {
  const lines = list.map((p) => {
    if (p.source !== 'config') return p.message;
    const pos = p.keyPath.length ? opts.locate?.(p.keyPath) : undefined;
    return pos ? `${where}:${pos.line}:${pos.col}: ${p.message}` : p.message;
  });
  const fromFlags = list.filter((p) => p.source === 'flag');
  if (fromFlags.length > 0) {
    return new UserError('invalid-input', 'usage', fromFlags.map((p) => p.message).join('\n'), 'run with --help for the options');
  }
  const fromFile = list.some((p) => p.source === 'config');
  return new UserError(
    'config',
    'invalid-config',
    lines.length === 1 ? `invalid configuration: ${lines[0]}` : `invalid configuration:\n  - ${lines.join('\n  - ')}`,
    fromFile ? `fix ${lines.length === 1 ? 'the value' : 'the values'} in ${where}; defineConfig() from pixverse-batch types every key` : 'fix the environment variable',
  );
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** A written value, as a message shows it. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const dotted = (keyPath: readonly string[]): string => keyPath.join('.');

function checkKeys(obj: Obj, allowed: readonly string[], parent: readonly string[], problems: Problems): void {
  const prefix = parent.length ? `${dotted(parent)}.` : '';
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const s = closest(key, allowed);
    problems.add([...parent, key], `unknown key '${prefix}${key}'${s ? ` — did you mean '${prefix}${s}'?` : ''} (allowed${prefix ? ` in ${dotted(parent)}` : ''}: ${allowed.join(', ')})`);
  }
}

function num(obj: Obj, key: string, fallback: number, problems: Problems, range: { min: number; max?: number }, parent: readonly string[] = []): number {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < range.min || (range.max !== undefined && v > range.max)) {
    problems.add([...parent, key], `${dotted([...parent, key])} must be a number ≥ ${range.min}${range.max !== undefined ? ` and ≤ ${range.max}` : ''}, got ${describe(v)}`);
    return fallback;
  }
  return v;
}

function section<T extends Record<string, number>>(c: Obj, name: string, defaults: T, problems: Problems): { -readonly [K in keyof T]: number } {
  const raw = c[name];
  const out = { ...defaults } as { -readonly [K in keyof T]: number };
  if (raw === undefined) return out;
  if (!isObj(raw)) {
    problems.add([name], `${name} must be an object { ${Object.keys(defaults).join(', ')} }, got ${describe(raw)}`);
    return out;
  }
  checkKeys(raw, Object.keys(defaults), [name], problems);
  for (const key of Object.keys(defaults) as (keyof T & string)[]) {
    (out as Record<string, number>)[key] = num(raw, key, defaults[key] as number, problems, { min: key === 'maxAttempts' ? 1 : 0 }, [name]);
  }
  return out;
}

function resolveQuotas(raw: unknown, problems: Problems): Record<string, Required<QuotaOverride>> {
  const out: Record<string, Required<QuotaOverride>> = {};
  for (const m of MODELS.values()) out[m.quota.family] = { runningTasks: m.quota.runningTasks, submitsPerSecond: m.quota.submitsPerSecond };
  if (raw === undefined) return out;
  if (!isObj(raw)) {
    problems.add(['quotas'], `quotas must be an object keyed by quota family (${Object.keys(out).join(', ')}), got ${describe(raw)}`);
    return out;
  }
  for (const [family, value] of Object.entries(raw)) {
    const current = out[family];
    if (!current) {
      const s = closest(family, Object.keys(out));
      problems.add(['quotas', family], `quotas: unknown quota family '${family}'${s ? ` — did you mean '${s}'?` : ''} (families: ${Object.keys(out).join(', ')})`);
      continue;
    }
    if (!isObj(value)) {
      problems.add(['quotas', family], `quotas.${family} must be an object { runningTasks, submitsPerSecond }, got ${describe(value)}`);
      continue;
    }
    checkKeys(value, ['runningTasks', 'submitsPerSecond'], ['quotas', family], problems);
    const running = num(value, 'runningTasks', current.runningTasks, problems, { min: 1 }, ['quotas', family]);
    if (!Number.isInteger(running)) problems.add(['quotas', family, 'runningTasks'], `quotas.${family}.runningTasks must be an integer ≥ 1, got ${running}`);
    out[family] = { runningTasks: running, submitsPerSecond: num(value, 'submitsPerSecond', current.submitsPerSecond, problems, { min: 0.1 }, ['quotas', family]) };
  }
  return out;
}

function resolvePrices(raw: unknown, problems: Problems): ResolvedConfig['prices'] {
  if (raw === undefined) return undefined;
  if (!isObj(raw) || !isObj(raw['perSecond'])) {
    problems.add(isObj(raw) ? ['prices', 'perSecond'] : ['prices'], "prices must be { currency?: 'CNY', perSecond: { '<model or family>': { '720P': 0.5, … } } }");
    return undefined;
  }
  checkKeys(raw, ['currency', 'perSecond'], ['prices'], problems);
  const currency = raw['currency'] ?? CONFIG_DEFAULTS.currency;
  if (typeof currency !== 'string' || currency === '') problems.add(['prices', 'currency'], `prices.currency must be a currency code such as CNY, got ${describe(currency)}`);
  const known = new Set<string>();
  const families = new Set<string>();
  for (const m of MODELS.values()) {
    known.add(m.name).add(m.family);
    families.add(m.family);
  }
  const perSecond: Record<string, Partial<Record<Tier, number>>> = {};
  for (const [key, tiers] of Object.entries(raw['perSecond'])) {
    if (!known.has(key)) {
      const s = closest(key, known);
      problems.add(['prices', 'perSecond', key], `prices.perSecond: '${key}' is neither a model nor a family${s ? ` — did you mean '${s}'?` : ''} (families: ${[...families].join(', ')}; or an exact model name)`);
      continue;
    }
    if (!isObj(tiers)) {
      problems.add(['prices', 'perSecond', key], `prices.perSecond.${key} must map tiers (${TIERS.join(', ')}) to a price per second, got ${describe(tiers)}`);
      continue;
    }
    const entry: Partial<Record<Tier, number>> = {};
    for (const [tier, price] of Object.entries(tiers)) {
      if (!(TIERS as readonly string[]).includes(tier)) {
        const s = closest(tier, TIERS);
        problems.add(['prices', 'perSecond', key, tier], `prices.perSecond.${key}: unknown tier '${tier}'${s ? ` — did you mean '${s}'?` : ''} (tiers: ${TIERS.join(', ')})`);
      } else if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
        problems.add(['prices', 'perSecond', key, tier], `prices.perSecond.${key}.${tier} must be a number ≥ 0 (the price of one billed second), got ${describe(price)}`);
      } else entry[tier as Tier] = price;
    }
    perSecond[key] = entry;
  }
  return { currency: typeof currency === 'string' ? currency : CONFIG_DEFAULTS.currency, perSecond };
}

function resolveBudget(raw: unknown, problems: Problems): ResolvedConfig['budget'] {
  if (raw === undefined) return {};
  if (!isObj(raw)) {
    problems.add(['budget'], `budget must be an object { maxBillableSeconds?, maxCost? }, got ${describe(raw)}`);
    return {};
  }
  checkKeys(raw, ['maxBillableSeconds', 'maxCost'], ['budget'], problems);
  const out: ResolvedConfig['budget'] = {};
  for (const key of ['maxBillableSeconds', 'maxCost'] as const) {
    if (raw[key] === undefined) continue;
    const v = num(raw, key, 0, problems, { min: 0 }, ['budget']);
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
  sources: Record<string, Source>,
  problems: Problems,
): ResolvedStore | undefined {
  let written: Obj = {};
  if (raw !== undefined) {
    if (!isObj(raw)) problems.add(['store'], `store must be { url: 's3://bucket/prefix', endpoint?, region?, forcePathStyle? }, got ${describe(raw)}`);
    else {
      written = raw;
      checkKeys(raw, ['url', 'endpoint', 'region', 'forcePathStyle'], ['store'], problems);
    }
  }
  const flag = nonEmpty(opts.flags?.store);
  const env = nonEmpty(opts.env['PIXVERSE_STORE']);
  const url = flag ?? env ?? written['url'];
  if (url === undefined) {
    if (raw !== undefined && isObj(raw)) problems.add(['store'], "store.url is missing (e.g. 's3://my-bucket/renders')");
    return undefined;
  }
  const source = flag !== undefined ? 'flag' : env !== undefined ? 'env' : 'config';
  sources['store'] = source;
  const from = source === 'flag' ? '--store' : source === 'env' ? 'PIXVERSE_STORE' : 'store.url';
  if (typeof url !== 'string') {
    problems.add(['store', 'url'], `${from} must be a string such as s3://my-bucket/renders`, source);
    return undefined;
  }
  const parsed = parseStoreUrl(url);
  if (!parsed.ok) {
    problems.add(['store', 'url'], `${from}: ${parsed.message}`, source);
    return undefined;
  }
  const endpointRaw = written['endpoint'] ?? nonEmpty(opts.env['AWS_ENDPOINT_URL_S3']) ?? nonEmpty(opts.env['AWS_ENDPOINT_URL']);
  let endpoint: string | undefined;
  if (endpointRaw !== undefined) {
    if (typeof endpointRaw === 'string' && /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(endpointRaw) && !/^https?:\/\/[^/]*@/.test(endpointRaw)) endpoint = endpointRaw.replace(/\/+$/, '');
    else problems.add(['store', 'endpoint'], 'store.endpoint must be an http(s) URL without credentials, such as https://s3.oss-cn-beijing.aliyuncs.com');
  }
  const regionRaw = written['region'] ?? nonEmpty(opts.env['AWS_REGION']) ?? nonEmpty(opts.env['AWS_DEFAULT_REGION']);
  if (regionRaw !== undefined && (typeof regionRaw !== 'string' || !/^[a-z0-9-]+$/i.test(regionRaw))) problems.add(['store', 'region'], 'store.region must be a region name such as us-east-1 or cn-beijing');
  const pathStyle = written['forcePathStyle'];
  if (pathStyle !== undefined && typeof pathStyle !== 'boolean') problems.add(['store', 'forcePathStyle'], 'store.forcePathStyle must be true or false');
  return {
    url: url.trim(),
    location: parsed.location,
    ...(endpoint ? { endpoint } : {}),
    ...(typeof regionRaw === 'string' ? { region: regionRaw } : {}),
    forcePathStyle: typeof pathStyle === 'boolean' ? pathStyle : needsPathStyle(endpoint),
    source,
  };
}
