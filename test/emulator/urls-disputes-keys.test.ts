// Where the documents are strict (URL schemes), disagree (disputed rules) or are silent (keys they
// do not list): the emulator over loopback, and the validator saying the same before anything is sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { planShot } from '../../src/core/plan/plan-shots.js';
import type { Shot } from '../../src/core/types.js';
import { checkManifest, errors, fileInfo, oneShot, show, warnings } from '../helpers/manifest-test-kit.js';
import { submit } from '../helpers/emulator-http.js';

const FROZEN = 1000;
const GENEROUS = { submitsPerSecond: 10_000, runningTasks: 50 };
const QUOTAS = { families: { 'pixverse-c1': GENEROUS, 'pixverse-v5.6': GENEROUS, 'pixverse-v6': GENEROUS, 'wan2.6-i2v-flash': GENEROUS } };
const IMG = 'https://example.com/a.png';
const INVALID_URL = { code: 'InvalidURL', message: 'Invalid URL provided in your request.' };

const it2v = (media: unknown[], parameters: Record<string, unknown> = {}, model = 'pixverse/pixverse-c1-it2v') => ({
  model,
  input: { media, prompt: 'a lighthouse at dusk' },
  parameters: { resolution: '720P', duration: 5, audio: false, watermark: false, seed: 1, ...parameters },
});
const wan = (input: Record<string, unknown>) => ({
  model: 'wan2.6-i2v-flash',
  input: { prompt: 'waves', ...input },
  parameters: { resolution: '720P', duration: 5, prompt_extend: true, shot_type: 'single', audio: false, watermark: false, seed: 1 },
});

/** Not URLs any model takes: what three clients this project did not write were seen to send. */
const NOT_URLS = ['media/a.png', '/tmp/a.png', 'file:///tmp/a.png', 'ftp://example.com/a.png', 'not a url at all', 'https:///a.png', 'data:image/png,raw'];
const PNG_DATA = 'data:image/png;base64,iVBORw0KGgo=';

describe('emulator: URL fields answer the documented 400 InvalidURL', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ timeScale: FROZEN, quotas: QUOTAS });
  });
  after(() => emu.close());

  async function refused(body: unknown, label: string): Promise<void> {
    const before = emu.stats().tasksCreated;
    const r = await submit(emu, body);
    assert.equal(r.status, 400, `${label}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.code, INVALID_URL.code, label);
    assert.equal(r.json.message, INVALID_URL.message, label);
    assert.ok(r.json.request_id, label);
    assert.equal(emu.stats().tasksCreated, before, `${label}: no task`);
  }

  it('media[].url (PixVerse): local paths, file://, ftp://, free text, host-less and non-base64 URLs, data: URIs', async () => {
    for (const url of [...NOT_URLS, PNG_DATA]) await refused(it2v([{ type: 'image_url', url }]), url);
  });

  it('img_url (Wan): the same, but a base64 data: URI is taken', async () => {
    for (const url of NOT_URLS) await refused(wan({ img_url: url }), url);
    assert.equal((await submit(emu, wan({ img_url: PNG_DATA }))).status, 200);
  });

  it('audio_url (Wan): no data: URI (its page names public and oss:// URLs only)', async () => {
    await refused(wan({ img_url: IMG, audio_url: 'data:audio/mp3;base64,SUQz' }), 'audio data:');
    await refused(wan({ img_url: IMG, audio_url: 'file:///tmp/a.mp3' }), 'audio file://');
    assert.equal((await submit(emu, wan({ img_url: IMG, audio_url: 'https://example.com/a.mp3' }))).status, 200);
  });

  it('takes https and http URLs', async () => {
    assert.equal((await submit(emu, it2v([{ type: 'image_url', url: IMG }]))).status, 200);
    assert.equal((await submit(emu, it2v([{ type: 'image_url', url: 'http://example.com/a.png' }]))).status, 200);
  });

  it('a parameter error is answered first, as InvalidParameter', async () => {
    const r = await submit(emu, it2v([{ type: 'image_url', url: 'ftp://x/a.png' }], { duration: 99 }));
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'InvalidParameter');
  });

  it('the validator reports each of them before anything is sent, at the url, with a hint', () => {
    for (const url of [...NOT_URLS, PNG_DATA]) {
      // In a manifest a string without a scheme is a local file (uploaded when it exists).
      const local = !/^[a-z]+:/.test(url);
      const localFiles = new Map([[url, fileInfo(url, { exists: false, isFile: false })]]);
      const issues = checkManifest(oneShot({ model: 'pixverse/pixverse-c1-it2v', media: [{ type: 'image_url', url }], resolution: '720P', duration: 5 }), { localFiles });
      const found = errors(issues).filter((i) => i.code === (local ? 'media-not-found' : 'url-scheme'));
      assert.equal(found.length, 1, `${url}: ${show(issues)}`);
      assert.equal(found[0]!.pointer, '/shots/0/media/0/url');
      if (!local) assert.match(found[0]!.message, /400 InvalidURL/);
      assert.ok((found[0]!.hint ?? '').length > 10);
    }
  });
});

describe('emulator: rules the official pages disagree on', () => {
  let strict: RunningEmulator;
  let lenient: RunningEmulator;
  before(async () => {
    strict = await startEmulator({ timeScale: FROZEN, quotas: QUOTAS });
    lenient = await startEmulator({ timeScale: FROZEN, quotas: QUOTAS, disputedRules: 'lenient' });
  });
  after(async () => {
    await strict.close();
    await lenient.close();
  });

  // The bodies the planner writes for shots the validator only warns about.
  const plannedBody = (shot: Partial<Shot>) => {
    const full = { id: 'd', model: 'pixverse/pixverse-v5.6-it2v', media: [{ type: 'image_url' as const, url: IMG }], resolution: '720P', duration: 5, ...shot } as Shot;
    const issues = checkManifest(oneShot(full as unknown as Record<string, unknown>));
    assert.deepEqual(errors(issues), [], show(issues));
    assert.deepEqual(warnings(issues).map((i) => i.code), ['disputed-rule'], show(issues));
    return planShot(full, { localFiles: new Map() }).body;
  };

  it('v5.6-it2v at 1080P: refused by default (strict), accepted when lenient', async () => {
    const body = plannedBody({ resolution: '1080P' });
    const r = await submit(strict, body);
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'InvalidParameter');
    assert.match(r.json.message, /resolution "1080P" is not supported by model pixverse\/pixverse-v5\.6-it2v; allowed: 360P, 540P, 720P\./);
    assert.equal((await submit(lenient, body)).status, 200);
    // Lenient still applies the 1080P durations of the page that allows it (5 or 8).
    const ten = await submit(lenient, { ...body, parameters: { ...body.parameters, duration: 10 } });
    assert.equal(ten.status, 400);
    assert.match(ten.json.message, /at 1080P; allowed: 5, 8/);
  });

  it('two images on it2v: refused by default, accepted when lenient (the last one is used)', async () => {
    const body = plannedBody({ model: 'pixverse/pixverse-c1-it2v', media: [{ type: 'image_url', url: IMG }, { type: 'image_url', url: `${IMG}?2` }] });
    const r = await submit(strict, body);
    assert.equal(r.status, 400);
    assert.match(r.json.message, /exactly one media item of type "image_url"/);
    const ok = await submit(lenient, body);
    assert.equal(ok.status, 200);
    const task = lenient.stats().tasks.find((t) => t.taskId === ok.json.output.task_id);
    assert.deepEqual(task?.notes, ['2 images given: the last one is used']);
  });

  it('the undisputed rules stay strict in both readings', async () => {
    for (const emu of [strict, lenient]) {
      const kf = { model: 'pixverse/pixverse-c1-kf2v', input: { prompt: 'x', media: [{ type: 'first_frame', url: IMG }] }, parameters: { resolution: '720P', duration: 5 } };
      assert.equal((await submit(emu, kf)).status, 400);
      assert.equal((await submit(emu, it2v([{ type: 'first_frame', url: IMG }, { type: 'image_url', url: IMG }]))).status, 400);
      assert.equal((await submit(emu, it2v([{ type: 'image_url', url: IMG }], { resolution: '2K' }, 'pixverse/pixverse-v5.6-it2v'))).status, 400);
    }
  });
});

describe('emulator: keys the docs do not list', () => {
  let refuse: RunningEmulator;
  let ignore: RunningEmulator;
  before(async () => {
    refuse = await startEmulator({ timeScale: FROZEN, quotas: QUOTAS });
    ignore = await startEmulator({ timeScale: FROZEN, quotas: QUOTAS, unknownKeys: 'ignore' });
  });
  after(async () => {
    await refuse.close();
    await ignore.close();
  });

  const typo = () => {
    const body = it2v([{ type: 'image_url', url: IMG, weight: 1 }]) as Record<string, any>;
    body.input.promt = 'typo';
    body.parameters.resolutoin = '720P';
    return body;
  };

  it('refuse (the default) answers 400 InvalidParameter naming every unknown key', async () => {
    const r = await submit(refuse, typo());
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'InvalidParameter');
    for (const key of ['input.promt', 'parameters.resolutoin', 'input.media[0].weight']) assert.ok(r.json.message.includes(key), `${key}: ${r.json.message}`);
  });

  it('ignore accepts the request and notes each ignored key in the stats', async () => {
    const r = await submit(ignore, typo());
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const task = ignore.stats().tasks.find((t) => t.taskId === r.json.output.task_id);
    assert.equal(task?.notes?.filter((n) => n.startsWith('ignored: ')).length, 3, JSON.stringify(task?.notes));
  });

  it("the official SDKs' input.extend_prompt (and the Python SDK's input.function) are accepted in both modes, silently", async () => {
    for (const emu of [refuse, ignore]) {
      const body = it2v([{ type: 'image_url', url: IMG }]) as Record<string, any>;
      body.input.extend_prompt = true;
      body.input.function = 'video-synthesis';
      const r = await submit(emu, body);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const task = emu.stats().tasks.find((t) => t.taskId === r.json.output.task_id);
      assert.deepEqual(task?.notes ?? [], []);
    }
  });

  it('ignore does not loosen any other rule', async () => {
    const r = await submit(ignore, it2v([{ type: 'image_url', url: 'ftp://x/a.png' }]));
    assert.equal(r.json.code, 'InvalidURL');
    assert.equal((await submit(ignore, it2v([{ type: 'image_url', url: IMG }], { duration: 99 }))).status, 400);
  });
});
