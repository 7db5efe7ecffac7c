// GET {origin}/__files/{task_id}.mp4?Expires=<epoch s>: the task's video, a real H.264 MP4 with
// the size, duration, frame rate and audio its usage reports and a picture of its own
// (video-cache.ts, video/); made in JavaScript, so no ffmpeg is needed at run time.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import { delay, resetSocket, sendError } from './http-util.js';
import { videoExpires } from './task-view.js';

export async function handleDownload(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, taskId: string, query: URLSearchParams): Promise<void> {
  ctx.stats.request('download');
  const task = ctx.store.get(taskId);
  const now = ctx.clock.now();
  ctx.store.settle(now);
  if (!task || task.status !== 'SUCCEEDED') return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
  const expires = Number(query.get('Expires'));
  if (expires !== videoExpires(task)) return sendError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  if (now / 1000 > expires) return sendError(res, 403, 'AccessDenied', 'Request has expired.');

  if (task.markers.slowMs) await delay(task.markers.slowMs);
  task.downloads++;
  const nFail = task.markers.downloadFail ?? 0;
  const nTruncate = task.markers.downloadTruncate ?? 0;
  if (task.downloads <= nFail) return sendError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
  const fault = ctx.faults.draw('download');
  if (fault?.kind === 'slow') await delay(fault.ms ?? 1000);
  const truncate = task.downloads <= nFail + nTruncate || fault?.kind === 'malformed';
  switch (fault?.kind) {
    case '429':
      ctx.stats.throttle('Throttling');
      return sendError(res, 429, 'Throttling', 'Requests throttling triggered.');
    case '500':
      return sendError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
    case '503':
      return sendError(res, 503, 'ServiceUnavailable', 'Please reduce your request rate.');
    case 'reset':
    case 'reset-before-create':
    case 'reset-after-create':
      return resetSocket(req);
    default:
      break;
  }
  let video: Buffer;
  try {
    video = await ctx.videos.get(task);
  } catch {
    return sendError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
  }
  res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': video.length, 'Accept-Ranges': 'none' });
  if (req.method === 'HEAD') return void res.end();
  if (truncate) {
    // Full Content-Length promised, half sent, then the connection drops.
    res.write(video.subarray(0, Math.floor(video.length / 2)), () => res.destroy());
    return;
  }
  res.end(video);
}
