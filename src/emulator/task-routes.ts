// The task endpoints: GET /tasks/{id}, POST /tasks/{id}/cancel, GET /tasks (batch query).
// All three share the account's query rate (20/s by default → 429 Throttling).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkApiKey } from './auth.js';
import type { EmulatorContext } from './context.js';
import { delay, newRequestId, resetSocket, sendError, sendJson, sendMalformed } from './http-util.js';
import type { Task } from './task-store.js';
import { isExpired, listRow, taskOutput } from './task-view.js';
import { parseListTime } from './time-format.js';

const LIST_WINDOW_MS = 24 * 3600 * 1000;
const STATUSES = new Set(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN']);

/** Key, then the shared query rate. Returns false when an error answer was sent. */
function admitQuery(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): boolean {
  ctx.stats.taskQuery(ctx.realNow(), ctx.clock.now());
  const authError = checkApiKey(req, ctx.apiKey);
  if (authError) {
    sendError(res, authError.status, authError.code, authError.message);
    return false;
  }
  if (!ctx.queryLimiter.tryAcquire(ctx.realNow())) {
    ctx.stats.throttle('Throttling');
    sendError(res, 429, 'Throttling', 'Requests throttling triggered.');
    return false;
  }
  return true;
}

export async function handleGetTask(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, taskId: string): Promise<void> {
  ctx.stats.request('getTask');
  if (!admitQuery(ctx, req, res)) return;
  const task = ctx.store.get(taskId);
  if (task) {
    if (task.markers.slowMs) await delay(task.markers.slowMs);
    task.gets++;
    const m = task.markers;
    const n503 = m.poll503 ?? 0;
    const n429 = m.poll429 ?? 0;
    const nMalformed = m.malformed ?? 0;
    if (task.gets <= n503) return sendError(res, 503, 'ModelUnavailable', 'Model is unavailable, please try again later.');
    if (task.gets <= n503 + n429) {
      ctx.stats.throttle('Throttling');
      return sendError(res, 429, 'Throttling', 'Requests throttling triggered.');
    }
    if (task.gets <= n503 + n429 + nMalformed) return sendMalformed(res, answerFor(ctx, task));
  }
  const fault = ctx.faults.draw('getTask');
  if (await applyQueryFault(ctx, req, res, fault, () => (task ? answerFor(ctx, task) : unknownAnswer(taskId)))) return;
  const answer = task ? answerFor(ctx, task) : unknownAnswer(taskId);
  if (task) ctx.store.seenFinal(task, ctx.clock.now());
  sendJson(res, 200, answer);
}

function answerFor(ctx: EmulatorContext, task: Task): Record<string, unknown> {
  const now = ctx.clock.now();
  ctx.store.settle(now);
  return { request_id: newRequestId(), ...taskOutput(task, now, ctx.origin, ctx.promptVisibleFrom) };
}

function unknownAnswer(taskId: string): Record<string, unknown> {
  return { request_id: newRequestId(), output: { task_id: taskId, task_status: 'UNKNOWN' } };
}

/** Rate-based faults on the read endpoints. True when the answer was already sent. */
async function applyQueryFault(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  fault: ReturnType<EmulatorContext['faults']['draw']>,
  body: () => Record<string, unknown>,
): Promise<boolean> {
  switch (fault?.kind) {
    case undefined:
      return false;
    case 'slow':
      await delay(fault.ms ?? 1000);
      return false;
    case '429':
      ctx.stats.throttle('Throttling');
      sendError(res, 429, 'Throttling', 'Requests throttling triggered.');
      return true;
    case '500':
      sendError(res, 500, 'InternalError', 'An internal error has occured, please try again later or contact service support.');
      return true;
    case '503':
      sendError(res, 503, 'ModelUnavailable', 'Model is unavailable, please try again later.');
      return true;
    case 'malformed':
      sendMalformed(res, body());
      return true;
    default:
      resetSocket(req);
      return true;
  }
}

export async function handleCancel(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, taskId: string): Promise<void> {
  ctx.stats.request('cancel');
  if (!admitQuery(ctx, req, res)) return;
  const task = ctx.store.get(taskId);
  if (task?.markers.slowMs) await delay(task.markers.slowMs);
  const now = ctx.clock.now();
  // Only PENDING (queued) tasks can be cancelled; unknown and expired tasks are not PENDING.
  if (!task || isExpired(task, now) || !ctx.store.cancel(task, now)) {
    return sendError(res, 400, 'UnsupportedOperation', 'Failed to cancel the task, please confirm if the task is in PENDING status.');
  }
  sendJson(res, 200, { request_id: newRequestId() });
}

export async function handleListTasks(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  ctx.stats.request('listTasks');
  if (!admitQuery(ctx, req, res)) return;
  const now = ctx.clock.now();
  const parsed = parseListQuery(query, now);
  if ('error' in parsed) return sendError(res, 400, 'InvalidParameter', parsed.error);

  const fault = ctx.faults.draw('listTasks');
  ctx.store.settle(ctx.clock.now());
  const rows = ctx.store
    .all()
    .filter((t) => t.submitAt >= parsed.start && t.submitAt <= parsed.end)
    .filter((t) => !parsed.taskId || t.id === parsed.taskId)
    .filter((t) => !parsed.model || t.model.name === parsed.model)
    .filter((t) => !parsed.status || t.status === parsed.status)
    .sort((a, b) => b.submitAt - a.submitAt || b.seq - a.seq);
  const { pageNo, pageSize } = parsed;
  const page = {
    request_id: newRequestId(),
    total: rows.length,
    total_page: Math.ceil(rows.length / pageSize),
    page_no: pageNo,
    page_size: pageSize,
    data: rows.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((t) => listRow(t, ctx.region, ctx.apiKeyId)),
  };
  if (await applyQueryFault(ctx, req, res, fault, () => page)) return;
  const shownAt = ctx.clock.now();
  for (const t of rows.slice((pageNo - 1) * pageSize, pageNo * pageSize)) ctx.store.seenFinal(t, shownAt);
  sendJson(res, 200, page);
}

interface ListQuery {
  start: number;
  end: number;
  taskId?: string;
  model?: string;
  status?: string;
  pageNo: number;
  pageSize: number;
}

/** Window rules (protocol §3): one bound → 24 h from it; none → the last 24 h; never more than 24 h. */
export function parseListQuery(q: URLSearchParams, now: number): ListQuery | { error: string } {
  const startText = q.get('start_time');
  const endText = q.get('end_time');
  const start = startText ? parseListTime(startText) : undefined;
  const end = endText ? parseListTime(endText) : undefined;
  if (startText && start === undefined) return { error: `start_time must be YYYYMMDDhhmmss; got "${startText}".` };
  if (endText && end === undefined) return { error: `end_time must be YYYYMMDDhhmmss; got "${endText}".` };
  let from: number;
  let to: number;
  if (start !== undefined && end !== undefined) {
    from = start;
    to = end;
  } else if (start !== undefined) {
    from = start;
    to = start + LIST_WINDOW_MS;
  } else if (end !== undefined) {
    from = end - LIST_WINDOW_MS;
    to = end;
  } else {
    from = now - LIST_WINDOW_MS;
    to = now;
  }
  if (to < from) return { error: 'end_time must not be earlier than start_time.' };
  if (to - from > LIST_WINDOW_MS) return { error: 'The time span between start_time and end_time must not exceed 24 hours.' };
  const pageNo = positiveInt(q.get('page_no'), 1);
  const pageSize = positiveInt(q.get('page_size'), 10);
  if (pageNo === undefined) return { error: 'page_no must be a positive integer.' };
  if (pageSize === undefined) return { error: 'page_size must be a positive integer.' };
  const status = q.get('status') ?? undefined;
  if (status && !STATUSES.has(status)) return { error: `status must be one of ${[...STATUSES].join(', ')}; got "${status}".` };
  // Second-precision bounds: a task submitted within the end second is inside the window.
  const out: ListQuery = { start: from, end: end !== undefined ? to + 999 : to, pageNo, pageSize };
  const taskId = q.get('task_id');
  const model = q.get('model_name');
  if (taskId) out.taskId = taskId;
  if (model) out.model = model;
  if (status) out.status = status;
  return out;
}

function positiveInt(text: string | null, fallback: number): number | undefined {
  if (text === null || text === '') return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
