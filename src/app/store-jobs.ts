// `pull` and `push` as library calls. pull: a clone with the committed lock (and no output) gets
// every current video from the store, verified by sha256, without submitting anything. push: the
// videos on disk that the store lacks (renders from before a store was set, uploads a run could
// not complete) go up, then the reports and the lock are rewritten to record them and the
// evidence follows.
import { UserError } from '../core/errors.js';
import { foldLedger } from '../core/ledger/fold-ledger.js';
import type { ResolvedConfig, ResolvedStore } from '../config/config-types.js';
import { readRenderState } from '../io/read-render-state.js';
import type { RenderState } from '../io/read-render-state.js';
import { createRunOutput } from '../io/run-output.js';
import { writeLockFile } from '../io/write-lock-file.js';
import { writeReports } from '../io/write-reports.js';
import { addressingOf } from './run-manifest.js';
import { ffmpegBinary } from '../io/ffmpeg.js';
import { isStoreError, StoreError } from '../store/object-store.js';
import type { ObjectStore } from '../store/object-store.js';
import { TOOL_VERSION } from '../version.js';
import { loadJobConfig } from './job-config.js';
import type { JobConfigOptions } from './job-config.js';
import { openProbedStore, pullVideos, pushEvidence, pushVideos, storeFor, storeUserError } from './store-sync.js';
import type { StoreShotResult } from './store-sync.js';

export interface StoreJobOptions extends JobConfigOptions {
  /** The renders of `run --emulator` (and the store's `emulator/` prefix; needs --store). */
  emulator?: boolean;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

export interface StoreJobResult {
  config: ResolvedConfig;
  state: RenderState;
  /** `s3://bucket/prefix` */
  store: string;
  shots: StoreShotResult[];
  evidenceFailures: string[];
}

const BLOCKING: ReadonlySet<StoreError['kind']> = new Set(['missing-bucket', 'credentials', 'no-credentials', 'unreachable', 'wrong-region', 'path-style']);

async function prepare(manifest: string, options: StoreJobOptions, verb: string): Promise<{ config: ResolvedConfig; state: RenderState; resolved: ResolvedStore }> {
  const { config, manifestAbs, shown } = await loadJobConfig(manifest, options);
  const chosen = storeFor(config.store, options.emulator ?? false);
  if (!chosen.store) {
    throw new UserError(
      'config',
      'no-store',
      chosen.ignored ?? `no store is set, so there is nothing to ${verb}`,
      "pass --store s3://bucket/prefix, set PIXVERSE_STORE, or add store: { url: 's3://bucket/prefix' } to pixverse.config.ts",
    );
  }
  const state = await readRenderState(manifestAbs, config, shown, options.emulator ?? false);
  return { config, state, resolved: chosen.store };
}

/** A bucket or credential problem fails every shot the same way: one exit-3 error instead. */
function throwIfBlocked(shots: StoreShotResult[], store: ObjectStore, consequence: string): void {
  const blocked = shots.find((s) => s.result === 'failed' && s.errorKind && BLOCKING.has(s.errorKind));
  if (!blocked || shots.some((s) => s.result === 'pulled' || s.result === 'reused' || s.result === 'stored')) return;
  throw storeUserError(new StoreError(blocked.errorKind!, blocked.errorKind!, blocked.detail ?? ''), store, consequence);
}

export async function pullManifest(manifest: string, options: StoreJobOptions = {}): Promise<StoreJobResult> {
  const { config, state, resolved } = await prepare(manifest, options, 'pull from');
  // Reading needs no write probe: a teammate with read-only credentials can pull.
  const { openStore } = await import('../store/open-store.js');
  const store = openStore(resolved, { ...(options.env ? { env: options.env } : {}), ...(options.emulator ? { emulator: true } : {}) });
  try {
    const output = createRunOutput(state.space.outputDir);
    const runId = `pull-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    const shots = await pullVideos(state.manifest.plans, output, state.ledger, state.lock.lock, store, { runId, ...(options.signal ? { signal: options.signal } : {}) });
    throwIfBlocked(shots, store, 'nothing was pulled');
    return { config, state, store: store.url, shots, evidenceFailures: [] };
  } finally {
    store.close();
  }
}

export async function pushManifest(manifest: string, options: StoreJobOptions = {}): Promise<StoreJobResult> {
  const { config, state, resolved } = await prepare(manifest, options, 'push to');
  const store = await openProbedStore(resolved, { ...(options.env ? { env: options.env } : {}), emulator: options.emulator ?? false, ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
  try {
    const output = createRunOutput(state.space.outputDir);
    const runId = `push-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    const shots = await pushVideos(state.manifest.plans, output, state.ledger, state.lock.lock, store, runId);
    throwIfBlocked(shots, store, 'nothing was pushed');
    // The reports and the lock now record what is stored; the evidence follows.
    const ledger = foldLedger((await output.readLedger()).records);
    const now = new Date();
    const { report } = await writeReports({
      manifestPath: state.manifest.loaded.displayFile,
      manifestName: state.manifest.loaded.name,
      manifestSha256: state.manifest.loaded.manifestSha256 ?? '',
      outputDir: state.space.outputDir,
      plans: state.manifest.plans,
      ledger,
      region: config.region,
      baseUrl: ledger.runs.at(-1)?.baseUrl ?? config.baseUrl,
      emulator: state.space.emulator,
      toolVersion: TOOL_VERSION,
      ...(config.prices ? { prices: config.prices } : {}),
      now,
      ffmpeg: ffmpegBinary(options.env ?? process.env),
      lockFile: state.space.lockFile,
      store: store.url,
      storeAddressing: addressingOf(resolved),
    });
    await writeLockFile(state.space.lockFile, state.manifest.plans, ledger);
    const evidenceFailures = await pushEvidence(state.manifest.loaded.name, output, ledger, store, report, runId);
    return { config, state, store: store.url, shots, evidenceFailures };
  } catch (e) {
    if (isStoreError(e)) throw storeUserError(e, store, 'the videos on disk are unchanged');
    throw e;
  } finally {
    store.close();
  }
}
