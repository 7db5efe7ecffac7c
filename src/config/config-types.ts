// Configuration as written in pixverse.config.ts (everything optional) and as resolved (every
// value decided). Precedence: command-line flags > environment > config file > defaults.
import type { PriceTable } from '../core/plan/cost.js';
import type { StoreLocation } from '../core/store/store-location.js';
import type { Region, Tier } from '../core/types.js';
import type { HostKind } from '../core/catalog/regions.js';

export interface QuotaOverride {
  /** Tasks PENDING or RUNNING at once for the quota family. */
  runningTasks?: number;
  /** Submit requests per second for the quota family. */
  submitsPerSecond?: number;
}

/** What a user writes in `pixverse.config.ts` (through `defineConfig`). */
export interface PixverseConfig {
  /**
   * Region whose endpoint and API key are used: cn-beijing, ap-southeast-1, us-east-1,
   * eu-central-1, ap-northeast-1, cn-hongkong. Default `cn-beijing` (PixVerse runs only there).
   */
  region?: Region;
  /**
   * `dashscope`: the region's shared host (dashscope.aliyuncs.com…); `workspace`: the workspace's
   * own host, `{workspace}.{region}.maas.aliyuncs.com` (the only host in Frankfurt and Tokyo,
   * and the only one some models are documented on). Default: the shared host where there is one.
   */
  host?: 'dashscope' | 'workspace';
  /**
   * Overrides the base URL, e.g. `http://127.0.0.1:8080/api/v1` for an emulator. Renders from a
   * base URL that is not a Model Studio host are kept apart (`output/<name>/emulator/`, never in
   * the committed lock) unless it is listed in `modelStudioProxies`.
   */
  baseUrl?: string;
  /**
   * Base URLs (or their origins) that are proxies in front of the real Model Studio service, e.g.
   * `['https://dashscope-gw.example.com/api/v1']`: only renders from these, and from Model Studio's
   * own hosts, count as real (skipped as up to date, written to the committed lock). Config file only.
   */
  modelStudioProxies?: string[];
  /** The workspace id: sent as `X-DashScope-WorkSpace`, and the name of the workspace host. */
  workspace?: string;
  /** Output base directory, relative to the config file. `OUTPUT_DIR` wins. Default `output` beside the config file. */
  outputDir?: string;
  /** Per quota family (`pixverse-v6`, `wan2.6-i2v-flash`…): overrides of the catalog's account quotas. */
  quotas?: Record<string, QuotaOverride>;
  /** Share of the account's 20 task queries/s this tool may use. Default 15 (leave room for others). */
  taskQueriesPerSecond?: number;
  /**
   * Polling runs in rounds for the WHOLE run, not per task: one round asks the task list for
   * every live task at once (one query per 100 tasks) and GETs only the tasks that just ended.
   * Between these bounds the gap adapts to the task durations seen so far.
   */
  polling?: {
    /** Shortest gap between two polling rounds of the run, in ms (the query budget usually keeps rounds further apart). Default 200. */
    minIntervalMs?: number;
    /** Longest gap between two polling rounds, in ms: the latest a finished task is noticed. Default 15000 (the docs advise ~15 s). */
    maxIntervalMs?: number;
  };
  retries?: {
    /** Attempts for a retryable failure (429, 5xx, network), including the first. Default 5. */
    maxAttempts?: number;
    /** First backoff delay in ms; doubles per attempt with jitter. Default 1000. */
    baseDelayMs?: number;
    /** Backoff ceiling in ms. Default 30000. */
    maxDelayMs?: number;
  };
  /**
   * HTTP timeouts. There is no timeout for a whole task: the server ends a task itself after 3 h
   * (InternalError.Timeout), and giving up earlier would only abandon a task that is billed.
   */
  timeouts?: {
    /** An API request (submit, poll, list, cancel, upload policy): the longest wait for the answer, ms. Default 30000. */
    requestMs?: number;
    /** A video download: the longest wait for the server to start answering or to send more bytes, ms. Default 60000. */
    downloadMs?: number;
  };
  /** Prices for estimates: per model name or family, per tier, per billed second. */
  prices?: {
    /** Currency code for display. Default `CNY`. */
    currency?: string;
    perSecond: Record<string, Partial<Record<Tier, number>>>;
  };
  budget?: {
    /** Refuse a run above this many billable seconds unless confirmed. */
    maxBillableSeconds?: number;
    /** Refuse a run above this estimated cost unless confirmed (needs prices). */
    maxCost?: number;
  };
  /**
   * An S3-compatible bucket every finished video and its evidence go to (`pixverse pull` fetches
   * them back). Credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID…, AWS_PROFILE),
   * never from this file. `PIXVERSE_STORE` and `--store` override `url`.
   */
  store?: {
    /** `s3://bucket/prefix` */
    url: string;
    /** S3-compatible endpoint, e.g. `https://s3.oss-cn-beijing.aliyuncs.com`; default AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS S3. */
    endpoint?: string;
    /** Signing region; default AWS_REGION / the shared profile's, or us-east-1 with an endpoint. */
    region?: string;
    /** Path-style requests (`endpoint/bucket/key`). Default: only for IP-address and localhost endpoints. */
    forcePathStyle?: boolean;
  };
}

/** The store a command uses, every setting decided. */
export interface ResolvedStore {
  /** `s3://bucket/prefix` as given. */
  url: string;
  location: StoreLocation;
  endpoint?: string;
  region?: string;
  forcePathStyle: boolean;
  /** Where the URL came from: an `--emulator` run uses only a store given on the command line. */
  source: 'flag' | 'env' | 'config';
}

/** Every value decided; what the engine and commands consume. */
export interface ResolvedConfig {
  region: Region;
  /** The kind of host `baseUrl` is: shared, workspace, or set by hand (`custom`). */
  host: HostKind;
  baseUrl: string;
  workspace?: string;
  /** Base URLs declared proxies in front of Model Studio (config `modelStudioProxies`); default none. */
  modelStudioProxies: readonly string[];
  /** Absolute output base directory; a manifest's outputs go to `<outputDir>/<manifest name>/`. */
  outputDir: string;
  /** Overrides per quota family; families not listed use the catalog's quota. */
  quotas: Readonly<Record<string, Required<QuotaOverride>>>;
  taskQueriesPerSecond: number;
  polling: { minIntervalMs: number; maxIntervalMs: number };
  retries: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  timeouts: { requestMs: number; downloadMs: number };
  prices?: PriceTable;
  budget: { maxBillableSeconds?: number; maxCost?: number };
  store?: ResolvedStore;
  /** Absolute path of the config file used, if any. */
  configFile?: string;
  /** Where each top-level value came from, for `--verbose` style explanations. */
  sources: Readonly<Record<string, 'flag' | 'env' | 'config' | 'default'>>;
}
