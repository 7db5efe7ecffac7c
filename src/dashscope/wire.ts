// Parsing what DashScope sends: JSON bodies into the wire types of client-types.ts, and the small
// readers every part of the client shares. Pure: no I/O, no undici.
import type { TaskListPage, TaskResponse } from './client-types.js';

/** Like the SDK we report a non-JSON body as its raw text, but only the first part of it. */
const RAW_TEXT_LIMIT = 300;

export function parseTaskResponse(json: Record<string, unknown>): TaskResponse | undefined {
  const output = json['output'];
  if (!isObject(output)) return undefined;
  if (typeof output['task_id'] !== 'string' || typeof output['task_status'] !== 'string') return undefined;
  // Kept verbatim (snapshots store what the server said); request_id defaults to '' if absent.
  return { ...json, request_id: str(json['request_id']) ?? '', output } as unknown as TaskResponse;
}

export function parseTaskListPage(json: Record<string, unknown>): TaskListPage | undefined {
  const data = json['data'];
  if (!Array.isArray(data) || !data.every((row) => isObject(row) && typeof row['task_id'] === 'string')) return undefined;
  const num = (v: unknown, dflt: number): number => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : dflt);
  return {
    ...json,
    request_id: str(json['request_id']) ?? '',
    total: num(json['total'], data.length),
    total_page: num(json['total_page'], 1),
    page_no: num(json['page_no'], 1),
    page_size: num(json['page_size'], data.length),
    data,
  } as TaskListPage;
}

/** True when any string in the body is an oss:// URL (the server must then be told to resolve it). */
export function containsOssUrl(value: unknown): boolean {
  if (typeof value === 'string') return value.startsWith('oss://');
  if (Array.isArray(value)) return value.some(containsOssUrl);
  if (isObject(value)) return Object.values(value).some(containsOssUrl);
  return false;
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function truncate(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return t.length > RAW_TEXT_LIMIT ? `${t.slice(0, RAW_TEXT_LIMIT)}…` : t;
}

export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Host and path only: signed query strings (Expires, Signature…) stay out of messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
