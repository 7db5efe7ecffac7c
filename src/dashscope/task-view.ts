// The wire's task shapes (client-types.ts) turned into the views the rest of the tool reads
// (src/core/task/task-view.ts). Nothing outside src/dashscope/ sees `output.task_status` & co.
import type { TaskRow, TaskRowPage, TaskView } from '../core/task/task-view.js';
import type { TaskStatus } from '../core/types.js';
import type { TaskListItem, TaskListPage, TaskResponse } from './client-types.js';

/** The view of a task response; `raw` keeps the response itself (typed, for the adapter's users). */
export type DashScopeTaskView = TaskView & { raw: TaskResponse };
export type DashScopeTaskRow = TaskRow & { raw: TaskListItem };
export type DashScopeTaskRowPage = TaskRowPage & { rows: DashScopeTaskRow[]; raw: TaskListPage };

/** A status string from the wire as a TaskStatus; anything unrecognised (e.g. SUSPENDED) counts as still running. */
export function normaliseStatus(s: unknown): TaskStatus {
  switch (s) {
    case 'PENDING':
    case 'RUNNING':
    case 'SUCCEEDED':
    case 'FAILED':
    case 'CANCELED':
    case 'UNKNOWN':
      return s;
    default:
      return 'RUNNING';
  }
}

export function toTaskView(res: TaskResponse): DashScopeTaskView {
  const o = res.output;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const fields: Array<[keyof TaskView, string | undefined]> = [
    ['videoUrl', text(o.video_url)],
    ['code', text(o.code)],
    ['message', text(o.message)],
    ['origPrompt', text(o.orig_prompt)],
    ['submitTime', text(o.submit_time)],
    ['scheduledTime', text(o.scheduled_time)],
    ['endTime', text(o.end_time)],
  ];
  return {
    taskId: o.task_id,
    requestId: res.request_id ?? '',
    status: normaliseStatus(o.task_status),
    ...Object.fromEntries(fields.filter(([, v]) => v !== undefined)),
    ...(res.usage ? { usage: res.usage } : {}),
    raw: res,
  };
}

export function toTaskRow(row: TaskListItem): DashScopeTaskRow {
  return {
    taskId: row.task_id,
    status: normaliseStatus(row.status),
    model: row.model_name,
    ...(typeof row.gmt_create === 'number' ? { createdAtMs: row.gmt_create } : {}),
    ...(typeof row.user_api_unique_key === 'string' ? { userApiUniqueKey: row.user_api_unique_key } : {}),
    raw: row,
  };
}

export function toTaskRowPage(page: TaskListPage): DashScopeTaskRowPage {
  return {
    requestId: page.request_id,
    rows: page.data.map(toTaskRow),
    total: page.total,
    totalPages: page.total_page,
    pageNo: page.page_no,
    pageSize: page.page_size,
    raw: page,
  };
}
