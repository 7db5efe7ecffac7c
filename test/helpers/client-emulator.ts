// Client-against-emulator plumbing shared by the test/dashscope HTTP tests.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { createDashScopeClient, type DashScopeClientOptions, type RetryEvent } from '../../src/dashscope/client.js';
import type { DashScopeClient, TaskResponse } from '../../src/dashscope/client-types.js';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import type { RequestBody } from '../../src/core/types.js';
import assert from 'node:assert/strict';

export const VIDEO_SYNTHESIS = '/services/aigc/video-generation/video-synthesis';

/** A fast emulator with quotas out of the way (tests here are about the client, not the limits). */
export function startFastEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({
    timeScale: 0.001,
    quotas: {
      families: {
        'pixverse-c1': { submitsPerSecond: 1000, runningTasks: 100 },
        'wan2.6-i2v-flash': { submitsPerSecond: 1000, runningTasks: 100 },
      },
      taskQueriesPerSecond: 10_000,
    },
    ...opts,
  });
}

export interface TestClient {
  client: DashScopeClient;
  /** Every backoff delay the client asked for, in order. */
  sleeps: number[];
  retries: RetryEvent[];
}

/** A client on the emulator with a recording, non-waiting sleep and a fixed jitter draw. */
export function clientOn(emu: RunningEmulator, extra: Partial<DashScopeClientOptions> = {}): TestClient {
  const sleeps: number[] = [];
  const retries: RetryEvent[] = [];
  const client = createDashScopeClient({
    baseUrl: emu.baseUrl,
    apiKey: emu.apiKey,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (ev) => retries.push(ev),
    ...extra,
  });
  return { client, sleeps, retries };
}

export function t2vBody(prompt: string, over: Partial<RequestBody['parameters']> = {}): RequestBody {
  return { model: 'pixverse/pixverse-c1-t2v', input: { prompt }, parameters: { size: '1280*720', duration: 5, ...over } };
}

export function wanBody(imgUrl: string, prompt: string): RequestBody {
  return { model: 'wan2.6-i2v-flash', input: { prompt, img_url: imgUrl }, parameters: { resolution: '720P', duration: 5 } };
}

/** Markers count per body, so every test gets a body of its own. */
export function uniquePrompt(text: string): string {
  return `${text} #${randomUUID()}`;
}

/** Poll (really waiting a little) until the task reaches one of `statuses`. */
export async function waitForStatus(client: DashScopeClient, taskId: string, statuses: readonly string[], timeoutMs = 15_000): Promise<TaskResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = (await client.getTask(taskId)).raw;
    if (statuses.includes(t.output.task_status)) return t;
    if (Date.now() > deadline) assert.fail(`task ${taskId} still ${t.output.task_status}`);
    await delay(25);
  }
}

/** The DashScopeError a promise rejects with (fails the test on anything else). */
export async function rejectionOf(p: Promise<unknown>): Promise<DashScopeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DashScopeError, `expected a DashScopeError, got ${e instanceof Error ? e.stack : String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}
