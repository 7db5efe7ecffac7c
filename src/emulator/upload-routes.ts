// GET {base}/uploads?action=getPolicy&model=… and the OSS-style multipart POST to {origin}/__oss.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findModel } from '../core/catalog/lookup.js';
import { checkApiKey } from './auth.js';
import type { EmulatorContext } from './context.js';
import { delay, header, newRequestId, readBody, resetSocket, sendError, sendJson } from './http-util.js';
import { MAX_FILE_SIZE_MB, type FormEntryValue } from './uploads.js';

export function handleGetPolicy(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
  ctx.stats.request('getPolicy');
  const authError = checkApiKey(req, ctx.apiKey);
  if (authError) return sendError(res, authError.status, authError.code, authError.message);
  if (query.get('action') !== 'getPolicy') return sendError(res, 400, 'InvalidParameter', 'Query parameter "action" must be "getPolicy".');
  const model = query.get('model');
  if (!model) return sendError(res, 400, 'InvalidParameter', 'Query parameter "model" is required.');
  if (!findModel(model)) return sendError(res, 404, 'ModelNotFound', 'Model not exist.');
  // 100 QPS per account and model (protocol §1).
  if (!ctx.policyLimiter(model).tryAcquire(ctx.realNow())) {
    ctx.stats.throttle('Throttling.RateQuota');
    return sendError(res, 429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.');
  }
  sendJson(res, 200, { request_id: newRequestId(), data: ctx.uploads.issuePolicy(model, ctx.origin, ctx.clock.wallNow()) });
}

export async function handleUpload(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.stats.request('upload');
  const fault = ctx.faults.draw('upload');
  if (fault?.kind === 'slow') await delay(fault.ms ?? 1000);
  else if (fault?.kind === 'reset' || fault?.kind === 'reset-before-create' || fault?.kind === 'reset-after-create') return resetSocket(req);
  else if (fault?.kind === '500' || fault?.kind === 'malformed') return sendError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
  else if (fault?.kind === '503') return sendError(res, 503, 'ServiceUnavailable', 'Please reduce your request rate.');
  else if (fault?.kind === '429') {
    ctx.stats.throttle('Throttling');
    return sendError(res, 429, 'Throttling', 'Requests throttling triggered.');
  }

  const contentType = header(req, 'content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    return sendError(res, 400, 'InvalidArgument', 'The upload must be a multipart/form-data POST.');
  }
  const raw = await readBody(req, (MAX_FILE_SIZE_MB + 1) * 1024 * 1024);
  let entries: Array<[string, FormEntryValue]>;
  try {
    // Node's own multipart parser (undici inside the global Response): no extra dependency.
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    entries = [...form.entries()];
  } catch {
    return sendError(res, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
  }
  const error = await ctx.uploads.store(entries, ctx.clock.wallNow(), ctx.clock.now());
  if (error) return sendError(res, error.status, error.code, error.message);
  const status = entries.find(([n]) => n === 'success_action_status')?.[1] === '200' ? 200 : 204;
  res.writeHead(status, { 'Content-Length': 0, 'x-oss-request-id': newRequestId() });
  res.end();
}
