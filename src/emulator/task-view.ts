// How a task looks on the wire: GET /tasks/{id} output + usage, and task-list rows.
import type { Tier } from '../core/types.js';
import type { Task } from './task-store.js';
import type { PromptVisibility } from './types.js';
import { TASK_RETENTION_MS } from './task-store.js';
import { formatTaskTime } from './time-format.js';

/** Wan result URLs are signed for 24 h; PixVerse's have "no expiry for now" (given a year here). */
export const WAN_URL_TTL_MS = 24 * 3600 * 1000;
export const PIXVERSE_URL_TTL_MS = 365 * 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

/** Sizes reported for resolution-tier PixVerse requests (the image's ratio is unknown here: 16:9). */
const TIER_SIZE_16_9: Record<Tier, string> = {
  '360P': '640*360',
  '480P': '848*480',
  '540P': '1024*576',
  '720P': '1280*720',
  '768P': '1366*768',
  '1080P': '1920*1080',
  '2K': '2560*1440',
  '4K': '3840*2160',
};

export function isExpired(task: Task, now: number): boolean {
  return now - task.submitAt > TASK_RETENTION_MS;
}

/** Epoch seconds after which the task's video URL answers 403. */
export function videoExpires(task: Task): number {
  const hours = task.model.result.urlTtlHours;
  const ttl = hours === undefined ? PIXVERSE_URL_TTL_MS : hours * HOUR_MS;
  return Math.floor(((task.endAt ?? task.submitAt) + ttl) / 1000);
}

export function videoUrl(task: Task, origin: string): string {
  return `${origin}/__files/${task.id}.mp4?Expires=${videoExpires(task)}`;
}

/** The `output` object of GET /tasks/{id} (status already settled by the caller). */
export function taskOutput(task: Task, now: number, origin: string, promptFrom: PromptVisibility = 'SUCCEEDED'): { output: Record<string, unknown>; usage?: Record<string, unknown> } {
  if (isExpired(task, now)) return { output: { task_id: task.id, task_status: 'UNKNOWN' } };
  const output: Record<string, unknown> = {
    task_id: task.id,
    task_status: task.status,
    submit_time: formatTaskTime(task.submitAt),
  };
  if (task.startAt !== undefined) output.scheduled_time = formatTaskTime(task.startAt);
  if (task.endAt !== undefined) output.end_time = formatTaskTime(task.endAt);
  if (task.status === 'FAILED' && task.failure) {
    output.code = task.failure.code;
    output.message = task.failure.message;
    return { output };
  }
  const input = (task.body.input ?? {}) as Record<string, unknown>;
  const prompt = typeof input.prompt === 'string' ? input.prompt : '';
  if (task.status === 'RUNNING' && promptFrom === 'RUNNING') output.orig_prompt = prompt;
  if (task.status !== 'SUCCEEDED') return { output };
  output.orig_prompt = prompt;
  output.video_url = videoUrl(task, origin);
  return { output, usage: usageOf(task) };
}

/** What the task's video is: the emulator's file has exactly these properties (files.ts). */
export interface DeliveredVideo {
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  fps: number;
  audio: boolean;
}

/** The video a succeeded task delivers, as its usage block reports it. */
export function deliveredVideo(task: Task): DeliveredVideo {
  const params = (task.body.parameters ?? {}) as Record<string, unknown>;
  const model = task.model;
  const duration = typeof params.duration === 'number' && params.duration > 0 ? params.duration : (model.duration.serverDefault || 5);
  const audioParam = model.params.find((p) => p.name === 'audio');
  const audio = typeof params.audio === 'boolean' ? params.audio : audioParam ? audioParam.serverDefault === true : model.audio === 'always';
  const tier: Tier = task.tier ?? '720P';
  let size = typeof params.size === 'string' && /^\d+\*\d+$/.test(params.size) ? params.size : TIER_SIZE_16_9[tier];
  size = model.result.deliveredSizeOverrides?.[`${size}@${duration}`] ?? size;
  const [width, height] = size.split('*').map(Number) as [number, number];
  return { width, height, duration, fps: model.result.fps ?? 24, audio };
}

function usageOf(task: Task): Record<string, unknown> {
  const params = (task.body.parameters ?? {}) as Record<string, unknown>;
  const model = task.model;
  const video = deliveredVideo(task);
  const tier: Tier = task.tier ?? '720P';
  const sr = Number.parseInt(tier, 10);
  const duration = video.duration;
  if (!model.result.srAsString) {
    // Wan 2.6: duration = input_video_duration (0) + output_video_duration; SR an integer.
    const usage: Record<string, unknown> = {
      duration,
      input_video_duration: 0,
      output_video_duration: duration,
      SR: Number.isNaN(sr) ? tier : sr,
      video_count: 1,
    };
    if (model.params.some((p) => p.name === 'audio')) usage.audio = video.audio;
    return usage;
  }
  const usage: Record<string, unknown> = {
    duration,
    size: `${video.width}*${video.height}`,
    fps: video.fps,
    video_count: 1,
    audio: video.audio,
    SR: Number.isNaN(sr) ? tier : String(sr),
  };
  if (model.params.some((p) => p.name === 'shot_type') || model.variant === 't2v' || model.variant === 'it2v') {
    usage.shot_type = typeof params.shot_type === 'string' ? params.shot_type : 'single';
  }
  return usage;
}

/** One row of GET /tasks; times in epoch ms. */
export function listRow(task: Task, region: string, apiKeyId: string): Record<string, unknown> {
  const row: Record<string, unknown> = {
    task_id: task.id,
    status: task.status,
    model_name: task.model.name,
    region,
    request_id: task.requestId,
    gmt_create: Math.floor(task.submitAt),
    api_key_id: apiKeyId,
    caller_uid: EMULATOR_UID,
    caller_parent_id: EMULATOR_UID,
    // Encodes the submit path: apikey:v1:aigc:<group>:<task>:<model>.
    user_api_unique_key: `apikey:v1:${task.endpoint.replace(/^\/services\//, '').split('/').join(':')}:${task.model.name}`,
  };
  if (task.startAt !== undefined) row.start_time = Math.floor(task.startAt);
  if (task.endAt !== undefined) row.end_time = Math.floor(task.endAt);
  return row;
}

export const EMULATOR_UID = '1000000000000000';
