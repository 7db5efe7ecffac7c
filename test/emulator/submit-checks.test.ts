// The submit endpoint's request checks, over real loopback HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { HOUR, I2V_PATH, authHeaders, getTask, submit, submitHeaders, submitOk, t2vBody } from '../helpers/emulator-http.js';

// timeScale 1000: the emulated clock barely moves on its own; tests step it with advanceClock.
const FROZEN = 1000;
const GENEROUS = { submitsPerSecond: 10_000, runningTasks: 5 };
const QUOTAS = { families: { 'pixverse-c1': GENEROUS, 'pixverse-v5.6': GENEROUS, 'pixverse-v6': GENEROUS, 'wan2.6-i2v-flash': GENEROUS } };

const IMG = 'https://example.com/a.png';

describe('emulator submit: headers, key and model', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ timeScale: FROZEN, quotas: QUOTAS, apiKey: 'sk-test-secret-123' });
  });
  after(() => emu.close());

  it('creates a PENDING task and answers with a fresh request_id each time', async () => {
    const a = await submit(emu, t2vBody('one'));
    const b = await submit(emu, t2vBody('two'));
    assert.equal(a.status, 200);
    assert.equal(a.json.output.task_status, 'PENDING');
    assert.match(a.json.output.task_id, /^[0-9a-f-]{36}$/);
    assert.ok(a.json.request_id);
    assert.notEqual(a.json.request_id, b.json.request_id);
  });

  it('refuses a submit without X-DashScope-Async: enable (403 AccessDenied)', async () => {
    const r = await submit(emu, t2vBody(), { headers: authHeaders(emu, { 'Content-Type': 'application/json' }) });
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'AccessDenied');
    assert.equal(r.json.message, 'current user api does not support synchronous calls');
    assert.ok(r.json.request_id);
  });

  it('answers 401 InvalidApiKey for a missing or wrong key and never echoes the key', async () => {
    const missing = await submit(emu, t2vBody(), { headers: { 'Content-Type': 'application/json', 'X-DashScope-Async': 'enable' } });
    assert.equal(missing.status, 401);
    assert.equal(missing.json.code, 'InvalidApiKey');
    assert.equal(missing.json.message, 'No API-key provided.');
    const wrongKey = 'sk-wrong-key-should-not-echo';
    const wrong = await submit(emu, t2vBody(), { headers: { ...submitHeaders(emu), Authorization: `Bearer ${wrongKey}` } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.code, 'InvalidApiKey');
    assert.ok(!JSON.stringify(wrong.json).includes(wrongKey));
    assert.ok(!JSON.stringify(wrong.json).includes(emu.apiKey));
    const poll = await getTask(emu, 'x', { Authorization: `Bearer ${wrongKey}` });
    assert.equal(poll.status, 401);
  });

  it('answers 404 ModelNotFound for an unknown model', async () => {
    const r = await submit(emu, { ...t2vBody(), model: 'pixverse/pixverse-v9-t2v' });
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'ModelNotFound');
  });

  it('answers 400 when a catalog model is posted to the other submit path', async () => {
    const r = await submit(emu, t2vBody(), { path: I2V_PATH });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'InvalidParameter');
    assert.match(r.json.message, /video-generation\/video-synthesis/);
  });

  it('accepts PixVerse kf2v on image2video too, where the official Python SDK posts every *kf2v* model; the stats count requests per path', async () => {
    emu.resetStats();
    const kf2v = (prompt: string) => ({
      model: 'pixverse/pixverse-v6-kf2v',
      input: { prompt, media: [{ type: 'first_frame', url: IMG }, { type: 'last_frame', url: IMG }] },
      parameters: { resolution: '720P', duration: 5, audio: false, watermark: false, seed: 7 },
    });
    const viaSdkPath = await submit(emu, kf2v('dusk over the bay'), { path: I2V_PATH });
    assert.equal(viaSdkPath.status, 200, JSON.stringify(viaSdkPath.json));
    const viaDocPath = await submit(emu, kf2v('dawn over the bay'));
    assert.equal(viaDocPath.status, 200);
    // Only kf2v models get the second path: the SDK sends every other model to video-generation.
    const it2v = await submit(emu, { model: 'pixverse/pixverse-v6-it2v', input: { media: [{ type: 'image_url', url: IMG }] }, parameters: { resolution: '720P', duration: 5 } }, { path: I2V_PATH });
    assert.equal(it2v.status, 400);
    const task = await getTask(emu, viaSdkPath.json.output.task_id as string);
    assert.equal(task.status, 200);
    assert.equal(task.json.output.task_status, 'PENDING');
    const stats = emu.stats();
    assert.equal(stats.tasksCreated, 2);
    assert.deepEqual(stats.requestsByPath, {
      'POST /api/v1/services/aigc/image2video/video-synthesis': 2,
      'POST /api/v1/services/aigc/video-generation/video-synthesis': 1,
      'GET /api/v1/tasks/{task_id}': 1,
    });
  });

  it('answers 400 for a body that is not JSON or has no model', async () => {
    assert.equal((await submit(emu, '{not json')).json.code, 'InvalidParameter');
    const noModel = await submit(emu, { input: { prompt: 'x' } });
    assert.equal(noModel.status, 400);
    assert.equal(noModel.json.code, 'BadRequest.EmptyModel');
  });

  it('tolerates the envelope fields the official Python SDK adds to input', async () => {
    const body = t2vBody();
    body.input.extend_prompt = true;
    body.input.function = 'video-synthesis';
    assert.equal((await submit(emu, body)).status, 200);
  });
});

describe('emulator submit: body rules from the catalog', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ timeScale: FROZEN, quotas: QUOTAS });
  });
  after(() => emu.close());

  const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'image_url', url: `${IMG}?${i}` }));
  const cases: Array<{ name: string; body: Record<string, any>; message: RegExp }> = [
    { name: 'missing prompt (t2v)', body: { ...t2vBody(), input: {} }, message: /input\.prompt/ },
    { name: 'missing duration', body: { ...t2vBody(), parameters: { size: '1280*720' } }, message: /parameters\.duration/ },
    { name: 'missing size (t2v)', body: { ...t2vBody(), parameters: { duration: 5 } }, message: /parameters\.size/ },
    {
      name: 'missing resolution (it2v)',
      body: { model: 'pixverse/pixverse-c1-it2v', input: { media: refs(1) }, parameters: { duration: 5 } },
      message: /parameters\.resolution/,
    },
    {
      name: 'resolution not a tier',
      body: { model: 'pixverse/pixverse-c1-it2v', input: { media: refs(1) }, parameters: { resolution: '2K', duration: 5 } },
      message: /resolution "2K"/,
    },
    {
      name: 'v5.6-it2v above 720P',
      body: { model: 'pixverse/pixverse-v5.6-it2v', input: { media: refs(1) }, parameters: { resolution: '1080P', duration: 5 } },
      message: /360P, 540P, 720P/,
    },
    { name: 'c1 duration 16', body: t2vBody('x', { duration: 16 }), message: /duration 16 is out of range.*1-15/ },
    {
      name: 'v5.6 1080P allows 5/8 only',
      body: { model: 'pixverse/pixverse-v5.6-t2v', input: { prompt: 'x' }, parameters: { size: '1920*1080', duration: 10 } },
      message: /duration 10 .* at 1080P; allowed: 5, 8/,
    },
    {
      name: 'v5.6 duration list',
      body: { model: 'pixverse/pixverse-v5.6-t2v', input: { prompt: 'x' }, parameters: { size: '1280*720', duration: 7 } },
      message: /allowed: 5, 8, 10/,
    },
    {
      name: 'it2v with two images',
      body: { model: 'pixverse/pixverse-c1-it2v', input: { media: refs(2) }, parameters: { resolution: '720P', duration: 5 } },
      message: /exactly one media item/,
    },
    {
      name: 'it2v with a first_frame item (its type is image_url)',
      body: { model: 'pixverse/pixverse-c1-it2v', input: { media: [{ type: 'first_frame', url: IMG }] }, parameters: { resolution: '720P', duration: 5 } },
      message: /exactly one media item of type "image_url"; got "first_frame"/,
    },
    { name: 'c1 duration 0', body: t2vBody('x', { duration: 0 }), message: /duration 0 is out of range/ },
    { name: 'c1 duration 2.5', body: t2vBody('x', { duration: 2.5 }), message: /"parameters\.duration" must be an integer/ },
    {
      name: 'wan duration 16',
      body: { model: 'wan2.6-i2v-flash', input: { img_url: IMG }, parameters: { resolution: '720P', duration: 16 } },
      message: /allowed: 2-15/,
    },
    {
      name: 'negative_prompt on PixVerse',
      body: { ...t2vBody(), input: { prompt: 'x', negative_prompt: 'blur' } },
      message: /"input\.negative_prompt" is not supported by model pixverse\/pixverse-c1-t2v/,
    },
    {
      name: 'kf2v with two first frames',
      body: {
        model: 'pixverse/pixverse-v6-kf2v',
        input: { prompt: 'x', media: [{ type: 'first_frame', url: IMG }, { type: 'first_frame', url: IMG }] },
        parameters: { resolution: '720P', duration: 5 },
      },
      message: /exactly one "first_frame" and one "last_frame"/,
    },
    {
      name: 'r2v with eight references',
      body: { model: 'pixverse/pixverse-c1-r2v', input: { prompt: 'x', media: refs(8) }, parameters: { size: '1280*720', duration: 5 } },
      message: /1 to 7 reference images; got 8/,
    },
    {
      name: 'r2v duplicate ref_name',
      body: {
        model: 'pixverse/pixverse-c1-r2v',
        input: { prompt: '@a walks', media: [{ type: 'image_url', url: IMG, ref_name: 'a' }, { type: 'image_url', url: IMG, ref_name: 'a' }] },
        parameters: { size: '1280*720', duration: 5 },
      },
      message: /ref_name "a" is used more than once/,
    },
    {
      name: 'r2v ref_name not in prompt',
      body: {
        model: 'pixverse/pixverse-c1-r2v',
        input: { prompt: 'a man walks', media: [{ type: 'image_url', url: IMG, ref_name: 'man' }] },
        parameters: { size: '1280*720', duration: 5 },
      },
      message: /ref_name "man" is not referenced/,
    },
    {
      name: 'r2v @name without a space',
      body: {
        model: 'pixverse/pixverse-c1-r2v',
        input: { prompt: 'look at @man', media: [{ type: 'image_url', url: IMG, ref_name: 'man' }] },
        parameters: { size: '1280*720', duration: 5 },
      },
      message: /"@man" in the prompt must be followed by a space/,
    },
    {
      name: 'r2v @reference with no media',
      body: {
        model: 'pixverse/pixverse-c1-r2v',
        input: { prompt: '@man holds @guitar ', media: [{ type: 'image_url', url: IMG, ref_name: 'man' }] },
        parameters: { size: '1280*720', duration: 5 },
      },
      message: /"@guitar" but no media item/,
    },
    { name: 'seed below range', body: t2vBody('x', { seed: -1 }), message: /seed must be an integer within \[0, 2147483647\]/ },
    { name: 'seed above range', body: t2vBody('x', { seed: 2147483648 }), message: /seed must be an integer/ },
    { name: 'shot_type on c1', body: t2vBody('x', { shot_type: 'multi' }), message: /"parameters\.shot_type" is not supported by model pixverse\/pixverse-c1-t2v/ },
    { name: 'media on t2v', body: { ...t2vBody(), input: { prompt: 'x', media: refs(1) } }, message: /"input\.media" is not supported/ },
    { name: 'audio not boolean', body: t2vBody('x', { audio: 'yes' }), message: /parameters\.audio" must be a boolean/ },
    {
      name: 'wan without img_url',
      body: { model: 'wan2.6-i2v-flash', input: { prompt: 'x' }, parameters: { resolution: '720P', duration: 5 } },
      message: /input\.img_url/,
    },
    {
      name: 'wan with an invented parameter',
      body: { model: 'wan2.6-i2v-flash', input: { img_url: IMG }, parameters: { resolution: '720P', duration: 5, fps: 30 } },
      message: /"parameters\.fps" is not supported/,
    },
  ];
  for (const c of cases) {
    it(`400 InvalidParameter: ${c.name}`, async () => {
      const r = await submit(emu, c.body);
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.equal(r.json.code, 'InvalidParameter');
      assert.match(r.json.message, c.message);
    });
  }

  it('accepts valid bodies of every variant', async () => {
    const bodies = [
      t2vBody('x', { duration: 15 }),
      { model: 'pixverse/pixverse-v6-t2v', input: { prompt: 'x' }, parameters: { size: '1920*832', duration: 1, shot_type: 'multi' } },
      { model: 'pixverse/pixverse-c1-it2v', input: { media: refs(1) }, parameters: { resolution: '1080P', duration: 5 } },
      {
        model: 'pixverse/pixverse-v5.6-kf2v',
        input: { prompt: 'x', media: [{ type: 'last_frame', url: IMG }, { type: 'first_frame', url: IMG }] },
        parameters: { resolution: '1080P', duration: 8 },
      },
      {
        model: 'pixverse/pixverse-c1-r2v',
        input: { prompt: '@男人 坐在椅子上，手持@吉他 ，微笑', media: [{ type: 'image_url', url: IMG, ref_name: '男人' }, { type: 'image_url', url: IMG, ref_name: '吉他' }] },
        parameters: { size: '1280*720', duration: 5 },
      },
      { model: 'pixverse/pixverse-v5.6-r2v', input: { prompt: 'x', media: refs(7) }, parameters: { size: '1108*830', duration: 5 } },
      { model: 'pixverse/pixverse-v5.6-t2v', input: { prompt: 'x' }, parameters: { size: '1280*960', duration: 8 } },
      { model: 'wan2.6-i2v-flash', input: { img_url: IMG, negative_prompt: 'blur' }, parameters: { resolution: '1080P', duration: 2, seed: 0 } },
      { model: 'wan2.6-i2v-flash', input: { img_url: 'data:image/png;base64,AAAA', prompt: 'x' }, parameters: { duration: 10, audio: false } },
    ];
    for (const body of bodies) {
      const r = await submit(emu, body);
      assert.equal(r.status, 200, `${body.model}: ${JSON.stringify(r.json)}`);
    }
  });

  it('accepts an over-long prompt and notes the silent truncation', async () => {
    const prompt = 'p'.repeat(2049);
    const id = await submitOk(emu, { model: 'pixverse/pixverse-v5.6-t2v', input: { prompt }, parameters: { size: '1280*720', duration: 5 } });
    const task = emu.stats().tasks.find((t) => t.taskId === id);
    assert.deepEqual(task?.notes, ['prompt truncated from 2049 to 2048 characters']);
  });

  it('turns a size outside the table into a task that ends FAILED (default taskFailureRules)', async () => {
    const id = await submitOk(emu, t2vBody('x', { size: '1000*1000' }));
    emu.advanceClock(HOUR);
    const r = await getTask(emu, id);
    assert.equal(r.json.output.task_status, 'FAILED');
    assert.equal(r.json.output.code, 'InvalidParameter');
    assert.match(r.json.output.message, /The size is not match/);
    assert.equal(r.json.usage, undefined);
  });
});

describe('emulator submit: configurable task-level rules', () => {
  it('answers 400 for a bad size when taskFailureRules is empty, and fails late for duration when listed', async () => {
    const emu = await startEmulator({ timeScale: FROZEN, quotas: QUOTAS, taskFailureRules: ['duration'] });
    try {
      const size = await submit(emu, t2vBody('x', { size: '1000*1000' }));
      assert.equal(size.status, 400);
      assert.match(size.json.message, /The size is not match/);
      // v5.6-r2v has its own table: the t2v size 1280*960 is not in it.
      const r2v = await submit(emu, { model: 'pixverse/pixverse-v5.6-r2v', input: { prompt: 'x', media: [{ type: 'image_url', url: IMG }] }, parameters: { size: '1280*960', duration: 5 } });
      assert.equal(r2v.status, 400);
      assert.match(r2v.json.message, /size is not match .*pixverse-v5\.6-r2v: "1280\*960"/);
      const id = await submitOk(emu, t2vBody('x', { duration: 40 }));
      emu.advanceClock(HOUR);
      const r = await getTask(emu, id);
      assert.equal(r.json.output.task_status, 'FAILED');
      assert.match(r.json.output.message, /duration 40/);
    } finally {
      await emu.close();
    }
  });
});
