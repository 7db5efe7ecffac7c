// Header checks shared by the API endpoints. Messages follow the real service; the presented
// key is never echoed back (nor logged).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { header } from './http-util.js';

export interface HttpError {
  status: number;
  code: string;
  message: string;
}

export function checkApiKey(req: IncomingMessage, apiKey: string): HttpError | undefined {
  const auth = header(req, 'authorization');
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  if (!m) return { status: 401, code: 'InvalidApiKey', message: 'No API-key provided.' };
  if (!sameSecret(m[1] as string, apiKey)) return { status: 401, code: 'InvalidApiKey', message: 'Invalid API-key provided.' };
  return undefined;
}

/** Video synthesis is async-only: a submit without `X-DashScope-Async: enable` is refused. */
export function checkAsyncHeader(req: IncomingMessage): HttpError | undefined {
  if (header(req, 'x-dashscope-async')?.trim().toLowerCase() === 'enable') return undefined;
  return { status: 403, code: 'AccessDenied', message: 'current user api does not support synchronous calls' };
}

export function ossResolveEnabled(req: IncomingMessage): boolean {
  return header(req, 'x-dashscope-ossresourceresolve')?.trim().toLowerCase() === 'enable';
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** A stable, non-secret id for the key (list rows carry `api_key_id`). */
export function apiKeyId(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}
