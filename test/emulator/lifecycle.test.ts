// Task lifecycle, results, expiry, cancel, the task list and video downloads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { formatListTime, formatTaskTime } from '../../src/emulator/time-format.js';
import { HOUR, cancelTask, getTask, listTasks, origin, rawRequest, submitOk, t2vBody } from '../helpers/emulator-http.js';

const FROZEN = 1000;
const TIME_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const GENEROUS = { submitsPerSecond: 10_000 };

describe('emulator lifecycle', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ timeScale: FROZEN, quotas: { families: { 'pixverse-c1': GENEROUS, 'pixverse-v5.6': GENEROUS, 'pixverse-v6': GENEROUS } } });
  });
  after(() => emu.close());

  it('goes PENDING → RUNNING → SUCCEEDED with the documented output and usage', async () => {
    const id = await submitOk(emu, { model: 'pixverse/pixverse-v5.6-t2v', input: { prompt: 'a lighthouse' }, parameters: { size: '1808*1808', duration: 8, audio: true } });
    assert.equal((await getTask(emu, id)).json.output.task_status, 'PENDING');
    emu.advanceClock(5_000); // past the scheduling delay (≤ 3 s), well before the end (≥ 10 s)
    const running = (await getTask(emu, id)).json;
    assert.equal(running.output.task_status, 'RUNNING');
    assert.match(running.output.scheduled_time, TIME_RE);
    emu.advanceClock(HOUR);
    const done = await getTask(emu, id);
    assert.equal(done.status, 200);
    const out = done.json.output;
    assert.equal(out.task_status, 'SUCCEEDED');
    assert.equal(out.task_id, id);
    for (const k of ['submit_time', 'scheduled_time', 'end_time']) assert.match(out[k], TIME_RE, k);
    assert.ok(out.submit_time <= out.scheduled_time && out.scheduled_time < out.end_time);
    assert.equal(out.orig_prompt, 'a lighthouse');
    assert.match(out.video_url, new RegExp(`^${origin(emu)}/__files/${id}\\.mp4\\?Expires=\\d+$`));
    // v5.6-t2v 1808*1808 at 8 s is delivered as 1440*1440 (catalog override).
    assert.deepEqual(done.json.usage, { duration: 8, size: '1440*1440', fps: 24, video_count: 1, audio: true, SR: '1080', shot_type: 'single' });
  });

  it('reports PixVerse it2v usage without a size table and Wan 2.6 usage with an integer SR', async () => {
    const it2v = await submitOk(emu, {
      model: 'pixverse/pixverse-v6-it2v',
      input: { media: [{ type: 'image_url', url: 'https://example.com/a.png' }] },
      parameters: { resolution: '540P', duration: 3, shot_type: 'multi' },
    });
    const wan = await submitOk(emu, { model: 'wan2.6-i2v-flash', input: { img_url: 'https://example.com/a.png' }, parameters: { resolution: '720P', duration: 10 } });
    emu.advanceClock(HOUR);
    assert.deepEqual((await getTask(emu, it2v)).json.usage, { duration: 3, size: '1024*576', fps: 24, video_count: 1, audio: false, SR: '540', shot_type: 'multi' });
    assert.deepEqual((await getTask(emu, wan)).json.usage, {
      duration: 10,
      input_video_duration: 0,
      output_video_duration: 10,
      SR: 720,
      video_count: 1,
      audio: true,
    });
  });

  it('ends FAILED with code and message and no usage via [[fail:CODE]]', async () => {
    const id = await submitOk(emu, t2vBody('a storm [[fail:DataInspectionFailed]]'));
    emu.advanceClock(HOUR);
    const r = await getTask(emu, id);
    assert.equal(r.json.output.task_status, 'FAILED');
    assert.equal(r.json.output.code, 'DataInspectionFailed');
    assert.ok(r.json.output.message.length > 0);
    assert.equal(r.json.usage, undefined);
    assert.equal(r.json.output.video_url, undefined);
  });

  it('writes task times in UTC+8 (Beijing), to the millisecond', async () => {
    const id = await submitOk(emu, t2vBody('what time is it'));
    const submitTime = (await getTask(emu, id)).json.output.submit_time as string;
    assert.match(submitTime, TIME_RE);
    // The list row gives the same instant in epoch ms: read as +08:00, the two agree exactly.
    const row = (await listTasks(emu, { task_id: id })).json.data[0] as { gmt_create: number };
    assert.equal(Date.parse(`${submitTime.replace(' ', 'T')}+08:00`), row.gmt_create);
    assert.equal(formatTaskTime(Date.UTC(2025, 0, 1, 16, 30, 0, 7)), '2025-01-02 00:30:00.007');
  });

  it('answers UNKNOWN for an id it never issued', async () => {
    const r = await getTask(emu, '00000000-0000-0000-0000-000000000000');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.output, { task_id: '00000000-0000-0000-0000-000000000000', task_status: 'UNKNOWN' });
  });

  it('cancels a PENDING task and refuses a RUNNING one', async () => {
    const pending = await submitOk(emu, t2vBody('to cancel'));
    const ok = await cancelTask(emu, pending);
    assert.equal(ok.status, 200);
    assert.deepEqual(Object.keys(ok.json), ['request_id']);
    const after = (await getTask(emu, pending)).json.output;
    assert.equal(after.task_status, 'CANCELED');
    const running = await submitOk(emu, t2vBody('to run'));
    emu.advanceClock(5_000);
    assert.equal((await getTask(emu, running)).json.output.task_status, 'RUNNING');
    const refused = await cancelTask(emu, running);
    assert.equal(refused.status, 400);
    assert.equal(refused.json.code, 'UnsupportedOperation');
    assert.equal(refused.json.message, 'Failed to cancel the task, please confirm if the task is in PENDING status.');
    assert.equal((await cancelTask(emu, pending)).status, 400, 'a CANCELED task cannot be cancelled again');
    emu.advanceClock(HOUR);
    assert.equal((await getTask(emu, running)).json.output.task_status, 'SUCCEEDED');
    assert.equal((await cancelTask(emu, running)).json.code, 'UnsupportedOperation', 'nor a finished one');
    const unknown = await cancelTask(emu, '00000000-0000-0000-0000-000000000001');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.code, 'UnsupportedOperation');
  });

  it('serves a real MP4 for a SUCCEEDED task', async () => {
    const id = await submitOk(emu, t2vBody('download me'));
    emu.advanceClock(HOUR);
    const url = (await getTask(emu, id)).json.output.video_url as string;
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(Number(res.headers.get('content-length')), bytes.length);
    assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
    assert.ok(bytes.length > 1000);
    const forged = await fetch(url.replace(/Expires=\d+/, 'Expires=9999999999'));
    assert.equal(forged.status, 403);
  });
});

describe('emulator expiry after 24 h', () => {
  it('turns tasks UNKNOWN after 25 h and expires Wan video URLs, not PixVerse ones', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      const pix = await submitOk(emu, t2vBody('keep'));
      const wan = await submitOk(emu, { model: 'wan2.6-i2v-flash', input: { img_url: 'https://example.com/a.png' }, parameters: { resolution: '720P', duration: 5 } });
      emu.advanceClock(HOUR);
      const pixUrl = (await getTask(emu, pix)).json.output.video_url as string;
      const wanUrl = (await getTask(emu, wan)).json.output.video_url as string;
      assert.equal((await fetch(wanUrl)).status, 200);
      emu.advanceClock(25 * HOUR);
      assert.deepEqual((await getTask(emu, pix)).json.output, { task_id: pix, task_status: 'UNKNOWN' });
      assert.equal((await getTask(emu, wan)).json.output.task_status, 'UNKNOWN');
      const expired = await fetch(wanUrl);
      assert.equal(expired.status, 403);
      assert.equal(((await expired.json()) as { code: string }).code, 'AccessDenied');
      assert.equal((await fetch(pixUrl)).status, 200, 'PixVerse URLs have no expiry');
    } finally {
      await emu.close();
    }
  });
});

describe('emulator task list', () => {
  let emu: RunningEmulator;
  const ids: string[] = [];
  before(async () => {
    emu = await startEmulator({ timeScale: FROZEN, region: 'cn-beijing' });
    for (let i = 0; i < 3; i++) {
      ids.push(await submitOk(emu, t2vBody(`list ${i}`)));
      emu.advanceClock(5000); // distinct gmt_create, newest last; each has left PENDING (delay ≤ 3 s)
    }
    ids.push(await submitOk(emu, { model: 'wan2.6-i2v-flash', input: { img_url: 'https://example.com/a.png' }, parameters: { duration: 5 } }));
  });
  after(() => emu.close());

  it('lists the last 24 h by default with the documented row shape, newest first', async () => {
    for (const path of ['/tasks', '/tasks/']) {
      const r = await listTasks(emu, {}, path);
      assert.equal(r.status, 200);
      assert.equal(r.json.total, 4);
      assert.equal(r.json.page_no, 1);
      assert.equal(r.json.page_size, 10);
      assert.equal(r.json.total_page, 1);
      assert.deepEqual(r.json.data.map((d: { task_id: string }) => d.task_id), [...ids].reverse());
      const row = r.json.data[1];
      assert.equal(row.model_name, 'pixverse/pixverse-c1-t2v');
      assert.equal(row.region, 'cn-beijing');
      assert.equal(row.user_api_unique_key, 'apikey:v1:aigc:video-generation:video-synthesis:pixverse/pixverse-c1-t2v');
      assert.equal(typeof row.gmt_create, 'number');
      assert.ok(row.gmt_create > 1_600_000_000_000, 'epoch milliseconds');
      assert.ok(row.request_id);
    }
  });

  it('filters by model_name, status and task_id, and pages', async () => {
    assert.equal((await listTasks(emu, { model_name: 'wan2.6-i2v-flash' })).json.total, 1);
    assert.equal((await listTasks(emu, { status: 'PENDING' })).json.total, 1, 'only the last task is still PENDING');
    const one = await listTasks(emu, { task_id: ids[0] as string });
    assert.deepEqual(one.json.data.map((d: { task_id: string }) => d.task_id), [ids[0]]);
    const p2 = await listTasks(emu, { page_size: 3, page_no: 2 });
    assert.equal(p2.json.total, 4);
    assert.equal(p2.json.total_page, 2);
    assert.equal(p2.json.data.length, 1);
    assert.equal(p2.json.data[0].task_id, ids[0]);
  });

  it('refuses a window over 24 h and malformed parameters', async () => {
    const wide = await listTasks(emu, { start_time: '20250101000000', end_time: '20250102000001' });
    assert.equal(wide.status, 400);
    assert.equal(wide.json.code, 'InvalidParameter');
    assert.match(wide.json.message, /24 hours/);
    assert.equal((await listTasks(emu, { start_time: '2025-01-01' })).status, 400);
    assert.equal((await listTasks(emu, { page_size: 0 })).status, 400);
    assert.equal((await listTasks(emu, { status: 'DONE' })).status, 400);
  });

  it('honours an explicit window (one bound means 24 h from it)', async () => {
    const old = await listTasks(emu, { start_time: '20200101000000' });
    assert.equal(old.status, 200);
    assert.equal(old.json.total, 0);
    // Bounds are YYYYMMDDhhmmss in UTC+8; the tasks were submitted within the last minute or so.
    const now = Date.now();
    const hourAgo = formatListTime(now - HOUR);
    assert.equal((await listTasks(emu, { start_time: hourAgo })).json.total, 4, 'start only: the 24 h after it');
    assert.equal((await listTasks(emu, { end_time: formatListTime(now + HOUR) })).json.total, 4, 'end only: the 24 h before it');
    assert.equal((await listTasks(emu, { end_time: hourAgo })).json.total, 0);
    const exactly24h = await listTasks(emu, { start_time: formatListTime(now - 23 * HOUR), end_time: formatListTime(now + HOUR) });
    assert.equal(exactly24h.status, 200, 'a window of exactly 24 h is allowed');
    assert.equal(exactly24h.json.total, 4);
    // The same instant written in UTC digits reads 8 h earlier and misses the tasks.
    const utcDigits = new Date(now + HOUR).toISOString().slice(0, 19).replace(/[-T:]/g, '');
    assert.equal((await listTasks(emu, { end_time: utcDigits })).json.total, 0);
    assert.equal((await listTasks(emu, { start_time: hourAgo, end_time: formatListTime(now - 2 * HOUR) })).status, 400, 'end before start');
  });

  it('serves stats at /__emulator/stats without a key', async () => {
    const raw = await rawRequest(`${origin(emu)}/__emulator/stats`);
    assert.equal(raw.status, 200);
    const stats = JSON.parse(raw.bytes.toString('utf8')) as { tasksCreated: number };
    assert.equal(stats.tasksCreated, 4);
  });
});

describe('emulator natural progress at a tiny timeScale', () => {
  it('reaches SUCCEEDED by polling alone', async () => {
    const emu = await startEmulator({ timeScale: 0.0001 }); // 1 real ms = 10 emulated s
    try {
      const id = await submitOk(emu, t2vBody('no clock jumps'));
      let status = '';
      for (let i = 0; i < 200 && status !== 'SUCCEEDED'; i++) {
        await new Promise((r) => setTimeout(r, 10));
        status = (await getTask(emu, id)).json.output.task_status;
      }
      assert.equal(status, 'SUCCEEDED');
    } finally {
      await emu.close();
    }
  });
});
