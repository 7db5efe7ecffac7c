// The HTTP server and its router. API routes live under /api/v1 like the real service; the
// emulator's own routes (/__oss uploads, /__files videos, /__emulator/stats) sit beside them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import { handleDownload } from './files.js';
import { BodyTooLargeError, readBody, sendError, sendJson } from './http-util.js';
import { SUBMIT_PATHS, handleSubmit } from './submit.js';
import { handleCancel, handleGetTask, handleListTasks } from './task-routes.js';
import { handleGetPolicy, handleUpload } from './upload-routes.js';

export const API_PREFIX = '/api/v1';
/** Submit bodies are small JSON (data: URIs for Wan can reach ~14 MB of base64). */
const MAX_SUBMIT_BYTES = 16 * 1024 * 1024;

export function createEmulatorServer(ctx: EmulatorContext): Server {
  return createServer((req, res) => {
    route(ctx, req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BodyTooLargeError) return sendError(res, 413, 'RequestTooLarge', error.message);
      sendError(res, 500, 'InternalError', `Emulator error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
}

async function route(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = req.method ?? 'GET';
  const p = url.pathname;
  ctx.stats.path(`${method} ${routeOf(p)}`);

  if (p === '/__emulator/stats' && method === 'GET') {
    ctx.stats.request('stats');
    ctx.store.settle(ctx.clock.now());
    return sendJson(res, 200, ctx.stats.snapshot(ctx.store) as unknown as Record<string, unknown>);
  }
  if (p === '/__oss' || p === '/__oss/') {
    if (method !== 'POST') return notAllowed(res);
    return handleUpload(ctx, req, res);
  }
  const file = /^\/__files\/([^/]+)\.mp4$/.exec(p);
  if (file) {
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(res);
    return handleDownload(ctx, req, res, decodeURIComponent(file[1] as string), url.searchParams);
  }

  if (!p.startsWith(`${API_PREFIX}/`)) return notFound(res);
  const api = p.slice(API_PREFIX.length);
  if (SUBMIT_PATHS.includes(api)) {
    if (method !== 'POST') return notAllowed(res);
    const raw = await readBody(req, MAX_SUBMIT_BYTES);
    return handleSubmit(ctx, req, res, api, raw);
  }
  if (api === '/tasks' || api === '/tasks/') {
    if (method !== 'GET') return notAllowed(res);
    return handleListTasks(ctx, req, res, url.searchParams);
  }
  const cancel = /^\/tasks\/([^/]+)\/cancel$/.exec(api);
  if (cancel) {
    if (method !== 'POST') return notAllowed(res);
    await drain(req);
    return handleCancel(ctx, req, res, decodeURIComponent(cancel[1] as string));
  }
  const task = /^\/tasks\/([^/]+)$/.exec(api);
  if (task) {
    if (method !== 'GET') return notAllowed(res);
    return handleGetTask(ctx, req, res, decodeURIComponent(task[1] as string));
  }
  if (api === '/uploads') {
    if (method !== 'GET') return notAllowed(res);
    return handleGetPolicy(ctx, req, res, url.searchParams);
  }
  return notFound(res);
}

/** The path with its ids as placeholders, so the per-path counts group one route together. */
function routeOf(p: string): string {
  return p
    .replace(/^(\/api\/v1\/tasks\/)[^/]+(\/cancel)?$/, (_m, head: string, cancel: string | undefined) => `${head}{task_id}${cancel ?? ''}`)
    .replace(/^\/__files\/[^/]+\.mp4$/, '/__files/{task_id}.mp4');
}

async function drain(req: IncomingMessage): Promise<void> {
  await readBody(req, 64 * 1024);
}

function notFound(res: ServerResponse): void {
  sendError(res, 404, 'NotFound', 'The requested resource does not exist.');
}

function notAllowed(res: ServerResponse): void {
  sendError(res, 405, 'MethodNotAllowed', 'The HTTP method is not allowed on this resource.');
}
