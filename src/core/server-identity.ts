// Which server a render was made on. A task lives on the server that created it, and only a
// Model Studio endpoint makes real renders: an emulator's (or a test server's) fixture videos
// must never stand for them, in the ledger, the reports or the lock a team commits. Pure.
import { BASE_URLS, REGION_NAMES } from './catalog/regions.js';

export interface ServerIdentity {
  /**
   * `https://dashscope.aliyuncs.com`, `http://127.0.0.1:8080`; `emulator` for the in-process
   * emulator of `run --emulator` (its videos are alike from one session to the next, its tasks
   * are not: each session is a new server for tasks, see `foreignRuns`).
   */
  origin: string;
  region: string;
  /** The workspace requests were sent for (`X-DashScope-WorkSpace`), if any. */
  workspace?: string;
  /** A Model Studio endpoint, or a base URL the config declares a proxy in front of one. */
  modelStudio: boolean;
  /**
   * Derived from a ledger written before identities were recorded (base URL and region only):
   * the workspace is unknown, so it is not compared.
   */
  derived?: boolean;
}

/** The origin that stands for `run --emulator`'s in-process emulator. */
export const IN_PROCESS_EMULATOR = 'emulator';

const SHARED_HOSTS: ReadonlySet<string> = new Set(Object.values(BASE_URLS).map((u) => new URL(u).host));
/** `{WorkspaceId}.{region}.maas.aliyuncs.com` (regions.ts, `workspaceBaseUrl`). */
const WORKSPACE_HOST = new RegExp(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.(?:${Object.keys(REGION_NAMES).join('|')})\\.maas\\.aliyuncs\\.com$`);

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

const trimSlash = (u: string): string => u.replace(/\/+$/, '');

/** True for an https URL on a Model Studio host: a region's shared host or a workspace host. */
export function isModelStudioUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const host = u.hostname.toLowerCase();
  return u.protocol === 'https:' && !u.port && (SHARED_HOSTS.has(host) || WORKSPACE_HOST.test(host));
}

/**
 * True when `baseUrl` is one the config declares a proxy in front of Model Studio
 * (`modelStudioProxies`): the same URL, or an entry that is just its origin.
 */
export function isDeclaredProxy(baseUrl: string, proxies: readonly string[]): boolean {
  const origin = originOf(baseUrl);
  return proxies.some((p) => trimSlash(p) === trimSlash(baseUrl) || (origin !== undefined && trimSlash(p) === origin));
}

/** The identity of the server a run talks to. */
export function serverIdentity(o: { baseUrl: string; region: string; workspace?: string; emulator: boolean; proxies?: readonly string[] }): ServerIdentity {
  if (o.emulator) return { origin: IN_PROCESS_EMULATOR, region: o.region, modelStudio: false };
  return {
    origin: originOf(o.baseUrl) ?? o.baseUrl,
    region: o.region,
    ...(o.workspace ? { workspace: o.workspace } : {}),
    modelStudio: isModelStudioUrl(o.baseUrl) || isDeclaredProxy(o.baseUrl, o.proxies ?? []),
  };
}

/** The identity of a run recorded before identities were (from its base URL, region and emulator flag). */
export function derivedIdentity(run: { baseUrl: string; region: string; emulator: boolean }): ServerIdentity {
  return { ...serverIdentity({ ...run, emulator: run.emulator }), derived: true };
}

/**
 * Two identities name the same server: same origin and region, and the same workspace (unless
 * one side was derived from an old ledger and does not know its workspace).
 */
export function sameServer(a: ServerIdentity, b: ServerIdentity): boolean {
  if (a.origin !== b.origin || a.region !== b.region) return false;
  if (a.derived || b.derived) return true;
  return (a.workspace ?? '') === (b.workspace ?? '');
}

/**
 * Renders of `made` count as real here: made on Model Studio, or (an old ledger, which did not
 * record a proxy declaration) on the very server this run talks to, when that one is real.
 */
export function countsAsModelStudio(made: ServerIdentity, current: ServerIdentity | undefined): boolean {
  if (made.modelStudio) return true;
  return Boolean(made.derived && current?.modelStudio && sameServer(made, current));
}

/** `dashscope.aliyuncs.com (cn-beijing, workspace ws-1)`, `the in-process emulator`: for sentences. */
export function describeServer(s: ServerIdentity): string {
  if (s.origin === IN_PROCESS_EMULATOR) return 'the in-process emulator (--emulator)';
  let host = s.origin;
  try {
    host = new URL(s.origin).host;
  } catch {
    /* shown as recorded */
  }
  return `${host} (${s.region}${s.workspace ? `, workspace ${s.workspace}` : ''})${s.modelStudio ? '' : ', not Model Studio'}`;
}

/** The identity of the server a resolved config (or `--emulator`) talks to. */
export function serverOfConfig(c: { baseUrl: string; region: string; workspace?: string; modelStudioProxies?: readonly string[] }, emulator: boolean): ServerIdentity {
  return serverIdentity({ baseUrl: c.baseUrl, region: c.region, ...(c.workspace ? { workspace: c.workspace } : {}), emulator, proxies: c.modelStudioProxies ?? [] });
}
