// POST {base}/services/aigc/{video-generation|image2video}/video-synthesis
// Order of checks: key → async header → JSON → model → path → submit rate → body rules →
// oss:// inputs → faults → task. Only a request that passes them all creates a task.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findModel } from '../core/catalog/lookup.js';
import { INVALID_URL } from '../core/catalog/url-schemes.js';
import { checkApiKey, checkAsyncHeader, ossResolveEnabled } from './auth.js';
import type { BodyFaultCounters, EmulatorContext } from './context.js';
import { delay, newRequestId, resetSocket, sendError, sendJson, sendMalformed } from './http-util.js';
import { failureMessage, MARKER_RE, parseMarkers } from './markers.js';
import type { Tier } from '../core/types.js';
import { checkBody } from './validate-body.js';

export const IMAGE2VIDEO_PATH = '/services/aigc/image2video/video-synthesis';
export const SUBMIT_PATHS = ['/services/aigc/video-generation/video-synthesis', IMAGE2VIDEO_PATH];

/**
 * The submit paths a model is accepted on: the documented one (the catalog's, which this
 * project's own client always uses) and the one the official DashScope Python SDK posts it to.
 * The SDK (1.26.2, `VideoSynthesis._get_input`) sends every model whose name contains `kf2v` to
 * image2video — PixVerse kf2v included, although PixVerse's docs name video-generation — so a
 * user of the SDK must be able to run those models against the emulator too.
 */
export function acceptedPaths(model: { name: string; endpoint: string }): string[] {
  return model.name.includes('kf2v') && model.endpoint !== IMAGE2VIDEO_PATH ? [model.endpoint, IMAGE2VIDEO_PATH] : [model.endpoint];
}

export async function handleSubmit(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer): Promise<void> {
  ctx.stats.request('submit');
  const authError = checkApiKey(req, ctx.apiKey) ?? checkAsyncHeader(req);
  if (authError) return sendError(res, authError.status, authError.code, authError.message);

  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendError(res, 400, 'InvalidParameter', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return sendError(res, 400, 'InvalidParameter', 'The request body must be a JSON object.');
  }
  const json = body as Record<string, unknown>;
  if (typeof json.model !== 'string' || json.model.length === 0) {
    return sendError(res, 400, 'BadRequest.EmptyModel', 'Required parameter "model" missing from request.');
  }
  const model = findModel(json.model);
  if (!model) return sendError(res, 404, 'ModelNotFound', 'Model not exist.');
  if (ctx.notActivated.has(model.name)) return sendError(res, 403, 'AccessDenied', 'Access denied: the model is not activated for this account.');
  if (!acceptedPaths(model).includes(path)) {
    // The real service answers a model on the wrong path with a URL error; say where it lives.
    return sendError(res, 400, 'InvalidParameter', `url error, please check url! Model ${model.name} is served at POST /api/v1${model.endpoint}.`);
  }

  const family = model.quota.family;
  ctx.stats.submitAttempt(family, ctx.realNow());
  if (!ctx.submitLimiter(family).tryAcquire(ctx.realNow())) {
    ctx.stats.throttle('Throttling.RateQuota');
    return sendError(res, 429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.');
  }

  const input = (typeof json.input === 'object' && json.input !== null ? json.input : {}) as Record<string, unknown>;
  const markers = parseMarkers(input.prompt);
  const bodySha256 = sha256(canonicalJson(json));
  if (markers.slowMs) await delay(markers.slowMs);

  const check = checkBody(json, model, { disputedRules: ctx.disputedRules, unknownKeys: ctx.unknownKeys });
  const immediate = check.violations.filter((v) => !ctx.taskFailureRules.has(v.rule));
  const invalid = immediate.filter((v) => v.rule !== 'url');
  if (invalid.length > 0) return sendError(res, 400, 'InvalidParameter', invalid.map((v) => v.message).join(' '));
  // A URL field with a scheme the model does not take: the error-code page's answer, word for word.
  if (immediate.length > 0) return sendError(res, INVALID_URL.status, INVALID_URL.code, INVALID_URL.message);

  const ossUrls = check.urls.filter((u) => u.startsWith('oss://'));
  if (ossUrls.length > 0) {
    if (!ossResolveEnabled(req)) {
      return sendError(
        res,
        400,
        'InvalidParameter.DataInspection',
        'The media format is not supported or incorrect for the data inspection. (oss:// inputs need the header X-DashScope-OssResourceResolve: enable.)',
      );
    }
    for (const url of ossUrls) {
      const why = ctx.uploads.checkOssUrl(url, model.name, ctx.clock.now());
      if (why) return sendError(res, 400, 'InvalidParameter', why);
    }
  }

  const counters = bodyCounters(ctx, bodySha256);
  const fault = ctx.faults.draw('submit');
  if (fault?.kind === 'slow') await delay(fault.ms ?? 1000);
  let resetAfter = fault?.kind === 'reset-after-create';
  if (fault?.kind === 'reset') resetAfter = ctx.faults.coin();
  if (fault?.kind === 'reset-before-create' || (fault?.kind === 'reset' && !resetAfter)) return resetSocket(req);
  if (markers.resetBeforeCreate && counters.resetBefore < 1) {
    counters.resetBefore++;
    return resetSocket(req);
  }
  if (markers.submit429 && counters.fired429 < markers.submit429) {
    counters.fired429++;
    ctx.stats.throttle('Throttling.RateQuota');
    return sendError(res, 429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.', { 'Retry-After': '1' });
  }
  if (markers.submit500 && counters.fired500 < markers.submit500) {
    counters.fired500++;
    return sendError(res, 500, 'InternalError', 'An internal error has occured, please try again later or contact service support.');
  }
  if (markers.submit503 && counters.fired503 < markers.submit503) {
    counters.fired503++;
    return sendError(res, 503, 'ModelUnavailable', 'Model is unavailable, please try again later.');
  }
  if (fault?.kind === '429') {
    ctx.stats.throttle('Throttling.RateQuota');
    return sendError(res, 429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.');
  }
  if (fault?.kind === '500') return sendError(res, 500, 'InternalError', 'An internal error has occured, please try again later or contact service support.');
  if (fault?.kind === '503') return sendError(res, 503, 'ModelUnavailable', 'Model is unavailable, please try again later.');

  const deferred = check.violations.filter((v) => ctx.taskFailureRules.has(v.rule));
  const failure = markers.fail
    ? { code: markers.fail, message: failureMessage(markers.fail) }
    : deferred.length > 0
      ? deferred.every((v) => v.rule === 'url')
        ? { code: INVALID_URL.code, message: INVALID_URL.message }
        : { code: 'InvalidParameter', message: deferred.filter((v) => v.rule !== 'url').map((v) => v.message).join(' ') }
      : undefined;
  if (markers.foreign && !counters.foreignDone) {
    counters.foreignDone = true;
    createForeignTasks(ctx, json, markers.foreign, { model, path, tier: check.tier });
  }
  const requestId = newRequestId();
  const task = ctx.store.create(
    {
      id: randomUUID(),
      model,
      endpoint: path,
      body: json,
      bodySha256,
      requestId,
      tier: check.tier,
      markers,
      notes: check.notes,
      ...(failure ? { failure } : {}),
    },
    ctx.clock.now(),
  );
  ctx.stats.taskCreated(bodySha256);
  if (markers.submit500AfterCreate && counters.fired500AfterCreate < markers.submit500AfterCreate) {
    counters.fired500AfterCreate++;
    return sendError(res, 500, 'InternalError', 'An internal error has occured, please try again later or contact service support.');
  }

  if (markers.resetAfterCreate && counters.resetAfter < 1) {
    counters.resetAfter++;
    return resetSocket(req);
  }
  if (resetAfter) return resetSocket(req);
  const answer = { request_id: requestId, output: { task_id: task.id, task_status: 'PENDING' } };
  if (fault?.kind === 'malformed') return sendMalformed(res, answer);
  sendJson(res, 200, answer);
}

function bodyCounters(ctx: EmulatorContext, sha: string): BodyFaultCounters {
  let c = ctx.bodyCounters.get(sha);
  if (!c) ctx.bodyCounters.set(sha, (c = { fired429: 0, fired500: 0, fired503: 0, fired500AfterCreate: 0, foreignDone: false, resetBefore: 0, resetAfter: 0 }));
  return c;
}

/**
 * Tasks another client on the same account submits (another manifest, another tool, a
 * colleague): the same model and parameters as `body`, other prompts (its markers removed), so
 * that only what the server echoes of the prompt tells them apart in the account-wide task list.
 */
function createForeignTasks(ctx: EmulatorContext, body: Record<string, unknown>, n: number, at: { model: NonNullable<ReturnType<typeof findModel>>; path: string; tier: Tier | undefined }): void {
  const input = (body.input ?? {}) as Record<string, unknown>;
  const topic = typeof input.prompt === 'string' ? input.prompt.replace(MARKER_RE, '').trim() : '';
  for (let k = 1; k <= n; k++) {
    const other = { ...body, input: { ...input, prompt: `another client's shot ${k}: ${topic}` } };
    const sha = sha256(canonicalJson(other));
    ctx.store.create(
      { id: randomUUID(), model: at.model, endpoint: at.path, body: other, bodySha256: sha, requestId: newRequestId(), tier: at.tier, markers: {}, notes: [], client: 'other' },
      ctx.clock.now(),
    );
    ctx.stats.taskCreated(sha);
  }
}

/** JSON with object keys sorted at every level: equal bodies hash equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
