// The emulator's state, created once per server (no module-level state) and handed to handlers.
import { MODELS } from '../core/catalog/models.js';
import { apiKeyId } from './auth.js';
import { createClock, type EmulatorClock } from './clock.js';
import { RateLimiter } from './rate-window.js';
import { RateFaults } from './rate-faults.js';
import { createRng } from './rng.js';
import { StatsCollector } from './stats.js';
import { TaskStore } from './task-store.js';
import type { DisputedRulesReading, EmulatorOptions, PromptVisibility, RuleClass, UnknownKeysMode } from './types.js';
import { UploadStore } from './uploads.js';
import { VideoCache } from './video-cache.js';

export const DEFAULT_API_KEY = 'sk-emulator-key';

/** Per request body: how often each submit marker has fired. */
export interface BodyFaultCounters {
  fired429: number;
  fired500: number;
  fired503: number;
  fired500AfterCreate: number;
  foreignDone: boolean;
  resetBefore: number;
  resetAfter: number;
}

export interface EmulatorContext {
  apiKey: string;
  apiKeyId: string;
  region: string;
  /** `http://host:port`, set once listening. */
  origin: string;
  clock: EmulatorClock;
  realNow: () => number;
  store: TaskStore;
  stats: StatsCollector;
  uploads: UploadStore;
  faults: RateFaults;
  taskFailureRules: ReadonlySet<RuleClass>;
  disputedRules: DisputedRulesReading;
  unknownKeys: UnknownKeysMode;
  promptVisibleFrom: PromptVisibility;
  notActivated: ReadonlySet<string>;
  bodyCounters: Map<string, BodyFaultCounters>;
  submitLimiter(family: string): RateLimiter;
  queryLimiter: RateLimiter;
  policyLimiter(model: string): RateLimiter;
  videos: VideoCache;
}

export function createContext(opts: EmulatorOptions): EmulatorContext {
  const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
  const seed = opts.seed ?? 1;
  const quotas = opts.quotas ?? {};
  const familyQuota = (family: string) => {
    const fromCatalog = [...MODELS.values()].find((m) => m.quota.family === family)?.quota;
    const override = quotas.families?.[family];
    return {
      runningTasks: override?.runningTasks ?? fromCatalog?.runningTasks ?? 5,
      submitsPerSecond: override?.submitsPerSecond ?? fromCatalog?.submitsPerSecond ?? 5,
    };
  };
  const submitLimiters = new Map<string, RateLimiter>();
  const policyLimiters = new Map<string, RateLimiter>();
  const id = apiKeyId(apiKey);
  return {
    apiKey,
    apiKeyId: id,
    region: opts.region ?? 'cn-beijing',
    origin: '',
    clock: createClock(opts.timeScale ?? 1),
    realNow: Date.now,
    // Separate RNG streams: faults drawn never shift the duration sequence, and vice versa.
    store: new TaskStore(
      createRng(seed, 0),
      (family) => familyQuota(family).runningTasks,
      opts.taskDurationMs ? { ...opts.taskDurationMs, seed } : undefined,
    ),
    stats: new StatsCollector(opts.recordQueryTimes ?? false),
    uploads: new UploadStore(id),
    faults: new RateFaults(opts.faults ?? [], createRng(seed, 1)),
    taskFailureRules: new Set(opts.taskFailureRules ?? ['size']),
    disputedRules: opts.disputedRules ?? 'strict',
    unknownKeys: opts.unknownKeys ?? 'refuse',
    promptVisibleFrom: opts.promptVisibleFrom ?? 'SUCCEEDED',
    notActivated: new Set(opts.notActivated ?? []),
    bodyCounters: new Map(),
    submitLimiter(family) {
      let l = submitLimiters.get(family);
      if (!l) submitLimiters.set(family, (l = new RateLimiter(familyQuota(family).submitsPerSecond)));
      return l;
    },
    queryLimiter: new RateLimiter(quotas.taskQueriesPerSecond ?? 20),
    policyLimiter(model) {
      let l = policyLimiters.get(model);
      if (!l) policyLimiters.set(model, (l = new RateLimiter(quotas.getPolicyPerSecond ?? 100)));
      return l;
    },
    videos: new VideoCache(),
  };
}
