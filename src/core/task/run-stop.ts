// Failures that are about the account or the server, not about one shot: a key the server
// refuses, a model the account may not use, an overdue bill, a server that cannot be reached.
// Every other shot would meet the same answer, so the run stops at once instead of POSTing them
// all (spec §4's error table; issue #9 item 4, #15 item 4). Pure: the engine asks, and stops.
import type { DashScopeOperation } from './classify-error.js';

/** `account`: the server refused the key, the model or the bill; `unreachable`: nothing answered. */
export type RunStopKind = 'account' | 'unreachable';

export interface RunStop {
  kind: RunStopKind;
  /** The server's code verbatim (`InvalidApiKey`), or the client's (`ConnectionRefused`). */
  code: string;
  httpStatus?: number;
  /** The server's message (the client redacts secrets), or the socket error. */
  message: string;
  /** One sentence naming the likely cause: key, region, activation, workspace, billing, network. */
  cause: string;
  /** What to do about it. */
  hint: string;
}

/** What the run talks to, for the sentences (never the key). */
export interface StopContext {
  /** `dashscope.aliyuncs.com` or `127.0.0.1:8080`. */
  host: string;
  region: string;
  workspace?: string;
}

/** A failure as the engine sees it (src/engine/dashscope-failure.ts). */
export interface FailureFacts {
  operation?: DashScopeOperation;
  code: string;
  httpStatus?: number;
  message: string;
}

/** Client codes for a request that never reached a server (src/dashscope/errors.ts). */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ConnectionRefused', 'HostNotFound', 'NetworkUnreachable', 'ConnectTimeout']);

const BILLING_CODES: ReadonlySet<string> = new Set(['Arrearage', 'CommodityNotPurchased', 'PrepaidBillOverdue', 'PostpaidBillOverdue']);
const ACTIVATION_CODES: ReadonlySet<string> = new Set(['AccessDenied.Unpurchased', 'Model.AccessDenied', 'ModelNotFound']);

/**
 * Calls whose answer is the DashScope API's own. Uploads go to an OSS host (its 403 is an expired
 * policy) and downloads to a video host (an expired URL): neither says anything about the key.
 */
function isApiCall(op: DashScopeOperation | undefined): boolean {
  return op === undefined || op === 'submit' || op === 'getTask' || op === 'listTasks' || op === 'cancel' || op === 'getPolicy';
}

/** True when no server took the request: nothing listening, no such host, no route, no connection in time. */
export function isUnreachable(f: FailureFacts): boolean {
  return f.httpStatus === undefined && UNREACHABLE_CODES.has(f.code) && isApiCall(f.operation);
}

/** The stop an account-level refusal calls for, or undefined when the failure is the shot's own. */
export function accountRefusal(f: FailureFacts, ctx: StopContext): RunStop | undefined {
  if (f.httpStatus === undefined || !isApiCall(f.operation)) return undefined;
  const base = { kind: 'account' as const, code: f.code, httpStatus: f.httpStatus, message: f.message };
  const where = `${ctx.host} (${ctx.region}${ctx.workspace ? `, workspace ${ctx.workspace}` : ''})`;
  if (f.httpStatus === 401 || f.code === 'InvalidApiKey') {
    return {
      ...base,
      cause: `the API key is refused by ${where}: it is wrong, revoked, or belongs to another region (each region has its own keys)`,
      hint: 'check DASHSCOPE_API_KEY (or dashscope_api_key in ~/.alibabacloud/credentials) and the region (--region, PIXVERSE_REGION, config region)',
    };
  }
  if (f.code === 'Workspace.AccessDenied') {
    return {
      ...base,
      cause: `the API key has no access to ${ctx.workspace ? `workspace ${ctx.workspace}` : 'the workspace'} on ${ctx.host} (a workspace accepts only its own keys)`,
      hint: 'use a key created in that workspace, or change `workspace` in pixverse.config.ts',
    };
  }
  if (BILLING_CODES.has(f.code)) {
    return { ...base, cause: `the account cannot be billed (${f.code}): it is overdue or has not purchased the service`, hint: 'top up or settle the bill in the Alibaba Cloud console, then run again' };
  }
  if (f.code === 'AllocationQuota.FreeTierOnly') {
    return { ...base, cause: 'the free quota is used up and the account is set to use the free tier only', hint: "turn off 'free tier only' for the model in the Model Studio console, then run again" };
  }
  if (f.httpStatus === 403 || ACTIVATION_CODES.has(f.code)) {
    return {
      ...base,
      cause: `access denied by ${where}: the model is not activated for this account, or the key's workspace or region does not give access to it`,
      hint: 'activate the model in the Model Studio console (search its name, then Activate / 立即开通); check the workspace and the region the key belongs to',
    };
  }
  return undefined;
}

/** True for a refusal of the key, the model's activation, the workspace or the bill (never the request's own fault). */
export function isAccountRefusal(f: FailureFacts): boolean {
  return accountRefusal(f, { host: '', region: '' }) !== undefined;
}

/** The stop for a server that cannot be reached. */
export function unreachableStop(f: FailureFacts, ctx: StopContext): RunStop {
  return {
    kind: 'unreachable',
    code: f.code,
    message: f.message,
    cause: `cannot reach ${ctx.host}: ${f.code === 'HostNotFound' ? 'the host name does not resolve' : f.code === 'ConnectTimeout' ? 'no connection within the connect timeout' : 'nothing answers there'}`,
    hint: 'check the network (or a proxy) and the base URL (--base-url, config baseUrl, region)',
  };
}

/** The stop a failure calls for: an account-level refusal, or an unreachable server (the engine retries that one a few times first). */
export function stopFor(f: FailureFacts, ctx: StopContext): RunStop | undefined {
  return accountRefusal(f, ctx) ?? (isUnreachable(f) ? unreachableStop(f, ctx) : undefined);
}
