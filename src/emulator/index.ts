// The emulator's library entry: startEmulator() runs a DashScope-compatible server on loopback.
import type { AddressInfo } from 'node:net';
import { createContext } from './context.js';
import { API_PREFIX, createEmulatorServer } from './server.js';
import type { EmulatorOptions, RunningEmulator } from './types.js';

export type {
  DisputedRulesReading,
  EmulatorOptions,
  EmulatorQuotas,
  EmulatorStats,
  EmulatorStatsTask,
  FamilyQuota,
  FaultEndpoint,
  FaultKind,
  FaultSpec,
  PromptVisibility,
  RuleClass,
  RunningEmulator,
  UnknownKeysMode,
} from './types.js';
export { DEFAULT_API_KEY } from './context.js';
export { FAULT_ENDPOINTS, FAULT_KINDS, parseFaultList } from './rate-faults.js';
export { MARKER_HELP } from './markers.js';

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new RangeError(`the emulator listens on loopback only (127.0.0.1, ::1 or localhost), not "${host}"`);
  }
  const ctx = createContext(opts);
  const server = createEmulatorServer(ctx);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  ctx.origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    baseUrl: `${ctx.origin}${API_PREFIX}`,
    apiKey: ctx.apiKey,
    stats() {
      ctx.store.settle(ctx.clock.now());
      return ctx.stats.snapshot(ctx.store);
    },
    resetStats() {
      ctx.store.settle(ctx.clock.now());
      ctx.stats.reset(ctx.store);
    },
    setFaults(faults) {
      ctx.faults.set(faults);
    },
    advanceClock(ms) {
      ctx.clock.advance(ms);
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
