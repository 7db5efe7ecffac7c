// Query-string building for GET /tasks (batch query, spec §3). Pure.
import type { ListTasksQuery } from './client-types.js';

/** The server's clock is UTC+8 (Beijing) whatever the region; its window parameters are in that zone. */
const SERVER_UTC_OFFSET_MS = 8 * 3600_000;
/** The server rejects windows longer than 24 h. */
export const MAX_LIST_WINDOW_MS = 24 * 3600_000;

/** `YYYYMMDDhhmmss` in UTC+8, the format of `start_time` / `end_time`. */
export function formatServerTime(d: Date): string {
  const t = new Date(d.getTime() + SERVER_UTC_OFFSET_MS);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    p(t.getUTCFullYear(), 4) +
    p(t.getUTCMonth() + 1) +
    p(t.getUTCDate()) +
    p(t.getUTCHours()) +
    p(t.getUTCMinutes()) +
    p(t.getUTCSeconds())
  );
}

/** Returns the problem with a query, or undefined when it can be sent. */
export function checkListQuery(q: ListTasksQuery): string | undefined {
  for (const [name, d] of [['startTime', q.startTime], ['endTime', q.endTime]] as const) {
    if (d !== undefined && Number.isNaN(d.getTime())) return `${name} is not a valid date`;
  }
  if (q.startTime !== undefined && q.endTime !== undefined) {
    const span = q.endTime.getTime() - q.startTime.getTime();
    if (span < 0) return 'endTime is before startTime';
    if (span > MAX_LIST_WINDOW_MS) return 'the task list window may not exceed 24 h';
  }
  for (const [name, n] of [['pageNo', q.pageNo], ['pageSize', q.pageSize]] as const) {
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) return `${name} must be a positive integer`;
  }
  return undefined;
}

/** `?start_time=…&end_time=…&model_name=…&status=…&task_id=…&page_no=…&page_size=…` (only the given ones). */
export function buildListQueryString(q: ListTasksQuery): string {
  const params = new URLSearchParams();
  if (q.taskId !== undefined) params.set('task_id', q.taskId);
  if (q.startTime !== undefined) params.set('start_time', formatServerTime(q.startTime));
  if (q.endTime !== undefined) params.set('end_time', formatServerTime(q.endTime));
  if (q.modelName !== undefined) params.set('model_name', q.modelName);
  if (q.status !== undefined) params.set('status', q.status);
  if (q.pageNo !== undefined) params.set('page_no', String(q.pageNo));
  if (q.pageSize !== undefined) params.set('page_size', String(q.pageSize));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}
