// Plain HTTP helpers for talking to the emulator in tests (global fetch and node:http only —
// deliberately not our DashScope client, which is tested against the emulator separately).
import http from 'node:http';
import type { RunningEmulator } from '../../src/emulator/index.js';

export const VIDEO_PATH = '/services/aigc/video-generation/video-synthesis';
export const I2V_PATH = '/services/aigc/image2video/video-synthesis';
export const HOUR = 3600 * 1000;

export interface JsonAnswer {
  status: number;
  headers: Headers;
  json: Record<string, any>;
}

export function authHeaders(emu: RunningEmulator, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${emu.apiKey}`, ...extra };
}

export function submitHeaders(emu: RunningEmulator, extra: Record<string, string> = {}): Record<string, string> {
  return authHeaders(emu, { 'Content-Type': 'application/json', 'X-DashScope-Async': 'enable', ...extra });
}

async function asJson(res: Response): Promise<JsonAnswer> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

export async function submit(
  emu: RunningEmulator,
  body: unknown,
  opts: { headers?: Record<string, string>; path?: string } = {},
): Promise<JsonAnswer> {
  const res = await fetch(`${emu.baseUrl}${opts.path ?? VIDEO_PATH}`, {
    method: 'POST',
    headers: opts.headers ?? submitHeaders(emu),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return asJson(res);
}

/** Submits and asserts a task was created; returns its id. */
export async function submitOk(emu: RunningEmulator, body: unknown, headers?: Record<string, string>): Promise<string> {
  const r = await submit(emu, body, headers ? { headers } : {});
  if (r.status !== 200) throw new Error(`submit failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.output.task_id as string;
}

export async function getTask(emu: RunningEmulator, taskId: string, headers?: Record<string, string>): Promise<JsonAnswer> {
  return asJson(await fetch(`${emu.baseUrl}/tasks/${taskId}`, { headers: headers ?? authHeaders(emu) }));
}

export async function cancelTask(emu: RunningEmulator, taskId: string): Promise<JsonAnswer> {
  return asJson(await fetch(`${emu.baseUrl}/tasks/${taskId}/cancel`, { method: 'POST', headers: authHeaders(emu) }));
}

export async function listTasks(emu: RunningEmulator, query: Record<string, string | number> = {}, path = '/tasks'): Promise<JsonAnswer> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return asJson(await fetch(`${emu.baseUrl}${path}${qs ? `?${qs}` : ''}`, { headers: authHeaders(emu) }));
}

export function origin(emu: RunningEmulator): string {
  return emu.baseUrl.replace(/\/api\/v1$/, '');
}

/** A valid PixVerse c1 t2v body; `prompt` carries markers when a test needs them. */
export function t2vBody(prompt = 'a red fox running through snow', parameters: Record<string, unknown> = {}): Record<string, any> {
  return {
    model: 'pixverse/pixverse-c1-t2v',
    input: { prompt },
    parameters: { size: '1280*720', duration: 5, audio: false, watermark: false, seed: 42, ...parameters },
  };
}

export interface RawAnswer {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  bytes: Buffer;
  /** Set when the connection broke (reset, truncated body). */
  error?: string;
}

/** A GET that keeps whatever arrived, even when the connection breaks mid-body. */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', (e) => resolve({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks), error: e.message }));
      res.on('aborted', () => resolve({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks), error: 'aborted' }));
    });
    req.on('error', (e) => resolve({ bytes: Buffer.concat(chunks), error: e.message }));
    if (opts.body) req.write(opts.body);
    req.end();
  });
}
