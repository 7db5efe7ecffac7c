// Each variant's request body against the spec's examples (§5 PixVerse, §6 Wan), pinned
// defaults, derived seeds, shot keys and cost.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../src/core/plan/canonical-json.js';
import { summarizePlans } from '../../src/core/plan/cost.js';
import { deriveSeed } from '../../src/core/plan/derive-seed.js';
import { planFile } from '../../src/core/plan/plan-file.js';
import { planShot, type LocalFileFacts } from '../../src/core/plan/plan-shots.js';
import type { Shot } from '../../src/core/types.js';

const VIDEO = '/services/aigc/video-generation/video-synthesis';
const noFiles = { localFiles: new Map<string, LocalFileFacts>() };

describe('request bodies per variant', () => {
  it('t2v (spec §5 example)', () => {
    const p = planShot({ id: 'a', model: 'pixverse/pixverse-c1-t2v', prompt: 'a cat', size: '1280*720', duration: 5, audio: false, watermark: true, seed: 42 }, noFiles);
    assert.equal(p.endpoint, VIDEO);
    assert.equal(
      JSON.stringify(p.body),
      JSON.stringify({ model: 'pixverse/pixverse-c1-t2v', input: { prompt: 'a cat' }, parameters: { size: '1280*720', duration: 5, audio: false, watermark: true, seed: 42 } }),
    );
    assert.deepEqual(p.pinned, []);
    assert.equal(p.seedDerived, false);
    assert.equal(p.tier, '720P');
    assert.equal(p.billableSeconds, 5);
  });

  it('it2v: media type image_url, prompt optional, resolution', () => {
    const p = planShot({ id: 'b', model: 'pixverse/pixverse-c1-it2v', media: [{ type: 'image_url', url: 'https://x/a.png' }], prompt: 'go', resolution: '720P', duration: 5, seed: 1 }, noFiles);
    assert.equal(
      JSON.stringify(p.body),
      JSON.stringify({
        model: 'pixverse/pixverse-c1-it2v',
        input: { media: [{ type: 'image_url', url: 'https://x/a.png' }], prompt: 'go' },
        parameters: { resolution: '720P', duration: 5, audio: false, watermark: false, seed: 1 },
      }),
    );
    assert.deepEqual(p.pinned, ['audio', 'watermark']);
    const noPrompt = planShot({ id: 'b', model: 'pixverse/pixverse-c1-it2v', media: [{ type: 'image_url', url: 'https://x/a.png' }], resolution: '720P', duration: 5 }, noFiles);
    assert.equal('prompt' in noPrompt.body.input, false);
  });

  it('kf2v: first_frame and last_frame', () => {
    const media = [
      { type: 'first_frame' as const, url: 'https://x/1.png' },
      { type: 'last_frame' as const, url: 'https://x/2.png' },
    ];
    const p = planShot({ id: 'c', model: 'pixverse/pixverse-c1-kf2v', media, prompt: 'p', resolution: '720P', duration: 5, watermark: true, seed: 3 }, noFiles);
    assert.deepEqual(p.body.input, { media, prompt: 'p' });
    assert.deepEqual(p.body.parameters, { resolution: '720P', duration: 5, audio: false, watermark: true, seed: 3 });
  });

  it('r2v: ref_names kept, size', () => {
    const media = [
      { type: 'image_url' as const, url: 'https://x/m.png', ref_name: '男人' },
      { type: 'image_url' as const, url: 'https://x/g.png', ref_name: '吉他' },
    ];
    const prompt = '@男人 坐在靠窗的椅子上，手持@吉他 ，轻轻弹奏。';
    const p = planShot({ id: 'd', model: 'pixverse/pixverse-c1-r2v', media, prompt, size: '1280*720', duration: 5, audio: false, watermark: true, seed: 9 }, noFiles);
    assert.equal(
      JSON.stringify(p.body),
      JSON.stringify({ model: 'pixverse/pixverse-c1-r2v', input: { media, prompt }, parameters: { size: '1280*720', duration: 5, audio: false, watermark: true, seed: 9 } }),
    );
  });

  it('v6 t2v pins shot_type', () => {
    const p = planShot({ id: 'e', model: 'pixverse/pixverse-v6-t2v', prompt: 'p', size: '1920*1080', duration: 8, seed: 5 }, noFiles);
    assert.deepEqual(p.body.parameters, { size: '1920*1080', duration: 8, shot_type: 'single', audio: false, watermark: false, seed: 5 });
    assert.equal(p.tier, '1080P');
  });

  it('Wan i2v (spec §6 example): img_url from reference_image, all defaults explicit', () => {
    const p = planShot(
      { id: 'w', model: 'wan2.6-i2v-flash', prompt: 'p', negative_prompt: 'n', reference_image: 'https://x/a.png', resolution: '720P', duration: 10, prompt_extend: true, shot_type: 'multi', audio: true, watermark: false, seed: 12345 },
      noFiles,
    );
    assert.equal(
      JSON.stringify(p.body),
      JSON.stringify({
        model: 'wan2.6-i2v-flash',
        input: { prompt: 'p', negative_prompt: 'n', img_url: 'https://x/a.png' },
        parameters: { resolution: '720P', duration: 10, prompt_extend: true, shot_type: 'multi', audio: true, watermark: false, seed: 12345 },
      }),
    );
  });

  it('Wan with nothing but an image pins resolution, duration, audio=true and the rest', () => {
    const p = planShot({ id: 'w2', model: 'wan2.6-i2v-flash', media: [{ type: 'image_url', url: 'https://x/a.png' }] }, noFiles);
    assert.deepEqual(p.body.input, { img_url: 'https://x/a.png' });
    assert.deepEqual(p.body.parameters, { resolution: '1080P', duration: 5, prompt_extend: true, shot_type: 'single', audio: true, watermark: false, seed: deriveSeed('w2') });
    assert.deepEqual(p.pinned, ['resolution', 'duration', 'prompt_extend', 'shot_type', 'audio', 'watermark', 'seed']);
    assert.equal(p.seedDerived, true);
  });

  it('never sends the compatibility fields', () => {
    const p = planShot({ id: 'w3', model: 'wan2.6-i2v-flash', reference_image: 'https://x/a.png', fps: 24, motion_strength: 0.5 }, noFiles);
    assert.equal(JSON.stringify(p.body).includes('fps'), false);
    assert.equal(JSON.stringify(p.body).includes('motion'), false);
  });
});

describe('seeds', () => {
  it('derives a stable 31-bit seed from the id', () => {
    const s = deriveSeed('hero@seed=2');
    assert.equal(s, deriveSeed('hero@seed=2'));
    assert.notEqual(s, deriveSeed('hero@seed=3'));
    for (const id of ['a', 'b', 'x'.repeat(200), '日本']) {
      const v = deriveSeed(id);
      assert.ok(Number.isInteger(v) && v >= 0 && v <= 2147483647);
    }
    // first 31 bits of sha256("a") = ca978112… → 0xca978112 >>> 1
    assert.equal(deriveSeed('a'), 0xca978112 >>> 1);
  });
});

describe('local media and shot keys', () => {
  const shot: Shot = { id: 'l', model: 'pixverse/pixverse-c1-it2v', media: [{ type: 'image_url', url: 'media/a.png' }], resolution: '720P', duration: 5, seed: 1 };
  const facts = (sha: string) => ({ localFiles: new Map([['media/a.png', { absPath: '/abs/media/a.png', sha256: sha, bytes: 10 }]]) });

  it('puts a local: placeholder in the body and lists the file', () => {
    const p = planShot(shot, facts('a'.repeat(64)));
    assert.deepEqual(p.body.input['media'], [{ type: 'image_url', url: 'local:media/a.png' }]);
    assert.deepEqual(p.localMedia, [{ bodyPointer: '/input/media/0/url', kind: 'image', absPath: '/abs/media/a.png', manifestPath: 'media/a.png', sha256: 'a'.repeat(64), bytes: 10 }]);
  });

  it('the key changes with the file content and with any body field, not with file location', () => {
    const k1 = planShot(shot, facts('a'.repeat(64))).key;
    assert.equal(planShot(shot, facts('a'.repeat(64))).key, k1);
    assert.notEqual(planShot(shot, facts('b'.repeat(64))).key, k1);
    assert.notEqual(planShot({ ...shot, duration: 6 }, facts('a'.repeat(64))).key, k1);
    const moved = { localFiles: new Map([['media/a.png', { absPath: '/elsewhere/a.png', sha256: 'a'.repeat(64), bytes: 10 }]]) };
    assert.equal(planShot(shot, moved).key, k1);
  });

  it('the key is sha256 of the canonical {endpoint, body} with hashes for placeholders', async () => {
    const { createHash } = await import('node:crypto');
    const p = planShot(shot, facts('c'.repeat(64)));
    const body = structuredClone(p.body);
    (body.input['media'] as { url: string }[])[0]!.url = `sha256:${'c'.repeat(64)}`;
    const expected = createHash('sha256').update(canonicalJson({ endpoint: p.endpoint, body })).digest('hex');
    assert.equal(p.key, expected);
  });

  it('canonical JSON sorts keys at every level', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } }), '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('plan files carry the headers a run sends, never a key', () => {
    const p = planShot(shot, facts('a'.repeat(64)));
    const f = planFile(p, { baseUrl: 'https://dashscope.aliyuncs.com/api/v1/', workspace: 'ws-1' });
    assert.equal(f.url, `https://dashscope.aliyuncs.com/api/v1${VIDEO}`);
    assert.equal(f.headers['X-DashScope-Async'], 'enable');
    assert.equal(f.headers['X-DashScope-OssResourceResolve'], 'enable');
    assert.equal(f.headers['X-DashScope-WorkSpace'], 'ws-1');
    assert.equal(f.headers['Authorization'], 'Bearer <DASHSCOPE_API_KEY>');
    assert.equal(JSON.stringify(f).includes('/abs/'), false);
    const remote = planFile(planShot({ ...shot, media: [{ type: 'image_url', url: 'https://x/a.png' }] }, noFiles), { baseUrl: 'https://h/api/v1' });
    assert.equal('X-DashScope-OssResourceResolve' in remote.headers, false);
  });
});

describe('billing', () => {
  const prices = { currency: 'CNY', perSecond: { 'pixverse-v6': { '720P': 0.5 }, 'pixverse/pixverse-v6-t2v': { '1080P': 2 } } };
  it('prices by model first, then family; sums per tier', () => {
    const a = planShot({ id: 'a', model: 'pixverse/pixverse-v6-t2v', prompt: 'p', size: '1280*720', duration: 4 }, { ...noFiles, prices });
    const b = planShot({ id: 'b', model: 'pixverse/pixverse-v6-t2v', prompt: 'p', size: '1920*1080', duration: 5 }, { ...noFiles, prices });
    const c = planShot({ id: 'c', model: 'pixverse/pixverse-v6-t2v', prompt: 'p', size: '640*360', duration: 5 }, { ...noFiles, prices });
    assert.equal(a.estimatedCost, 2);
    assert.equal(b.estimatedCost, 10);
    assert.equal(c.estimatedCost, undefined);
    const s = summarizePlans([a, b, c], 'CNY');
    assert.deepEqual(s.secondsByTier, { '360P': 5, '720P': 4, '1080P': 5 });
    assert.equal(s.billableSeconds, 14);
    assert.equal(s.estimatedCost, 12);
    assert.deepEqual(s.unpricedShots, ['c']);
    assert.equal(s.derivedSeeds, 3);
  });
});
