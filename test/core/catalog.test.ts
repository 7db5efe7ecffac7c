// The catalog against the spec's tables, and the lookups built on it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nearestSize, nearestSizes, nearestTierForSize, pinnedDefaults, siblingModel, suggestModel } from '../../src/core/catalog/lookup.js';
import { allowedDurations, findModel, modelNames, tierOfSize } from '../../src/core/catalog/lookup.js';
import { closest, editDistance } from '../../src/core/catalog/suggest.js';

const model = (name: string) => {
  const m = findModel(name);
  assert.ok(m, name);
  return m;
};

describe('catalog', () => {
  it('holds exactly the documented models', () => {
    const pixverse = [
      ...['v5.6', 'c1', 'v6'].flatMap((f) => ['t2v', 'it2v', 'kf2v', 'r2v'].map((v) => `pixverse/pixverse-${f}-${v}`)),
      ...['v6-r2v-omni', 'upscale', 'lipsync', 'motioncontrol'].map((v) => `pixverse/pixverse-${v}`),
    ];
    const wan = [
      'wan2.6-t2v',
      'wan2.6-i2v',
      'wan2.6-i2v-flash',
      'wan2.6-r2v',
      'wan2.6-r2v-flash',
      'wan2.5-t2v-preview',
      'wan2.5-i2v-preview',
      'wan2.7-t2v',
      'wan2.7-t2v-2026-04-25',
      'wan2.7-t2v-2026-06-12',
      'wan2.7-i2v',
      'wan2.7-i2v-2026-04-25',
      'wan2.7-r2v',
      'wan2.7-videoedit',
      'wan3.0-video',
      'wan3.0-video-prime',
      'wan2.2-t2v-plus',
      'wan2.2-i2v-flash',
      'wan2.2-i2v-plus',
      'wan2.2-kf2v-flash',
    ];
    const happyhorse = ['1.0-t2v', '1.0-i2v', '1.0-r2v', '1.0-video-edit', '1.1-t2v', '1.1-i2v', '1.1-r2v'].map((v) => `happyhorse-${v}`);
    const kling = ['kling/kling-v3-video-generation', 'kling/kling-v3-omni-video-generation'];
    const vidu = [
      ...['viduq3-pro', 'viduq3-turbo', 'viduq2'].map((m) => `${m}_text2video`),
      ...['viduq3-pro', 'viduq3-turbo', 'viduq2-pro-fast', 'viduq2-pro', 'viduq2-turbo'].map((m) => `${m}_img2video`),
      ...['viduq3-pro', 'viduq3-turbo', 'viduq2-pro', 'viduq2-turbo'].map((m) => `${m}_start-end2video`),
      ...['viduq3-mix', 'viduq3', 'viduq3-turbo', 'viduq2-pro', 'viduq2'].map((m) => `${m}_reference2video`),
    ].map((m) => `vidu/${m}`);
    assert.deepEqual(modelNames().sort(), [...pixverse, ...wan, ...happyhorse, ...kling, ...vidu, 'MiniMax/MiniMax-H3'].sort());
  });

  it('PixVerse is Beijing-only; every model cites its pages and names a known region', () => {
    for (const name of modelNames()) {
      const m = model(name);
      if (/^(pixverse|kling|vidu|MiniMax)\//.test(name)) assert.deepEqual(m.regions, ['cn-beijing']);
      assert.ok(m.regions.length > 0 && m.regions.includes('cn-beijing'), name);
      assert.ok(m.sources.length > 0 && m.sources.every((s) => s.startsWith('https://')), name);
    }
    assert.deepEqual(model('wan2.6-i2v-flash').regions, ['cn-beijing', 'ap-southeast-1']);
  });

  it('size tables differ between v5.6-t2v, v5.6-r2v and c1/v6', () => {
    const t = model('pixverse/pixverse-v5.6-t2v');
    const r = model('pixverse/pixverse-v5.6-r2v');
    const c = model('pixverse/pixverse-c1-t2v');
    assert.equal(tierOfSize(t, '1280*960'), '720P');
    assert.equal(tierOfSize(r, '1280*960'), undefined);
    assert.equal(tierOfSize(r, '1662*1246'), '1080P');
    assert.equal(tierOfSize(t, '1808*1808'), '1080P');
    assert.equal(tierOfSize(c, '1108*832'), '720P');
    assert.equal(tierOfSize(c, '1920*832'), '1080P');
    assert.equal(tierOfSize(model('pixverse/pixverse-v6-r2v'), '1920*832'), '1080P');
    assert.equal(tierOfSize(t, '1920*832'), undefined);
  });

  it('durations per family', () => {
    const v56 = model('pixverse/pixverse-v5.6-kf2v').duration;
    assert.deepEqual(allowedDurations(v56, '720P'), [5, 8, 10]);
    assert.deepEqual(allowedDurations(v56, '1080P'), [5, 8]);
    assert.deepEqual([model('pixverse/pixverse-c1-t2v').duration.min, model('pixverse/pixverse-v6-t2v').duration.max], [1, 15]);
    const wan = model('wan2.6-i2v-flash');
    assert.deepEqual([wan.duration.min, wan.duration.max, wan.duration.serverDefault], [2, 15, 5]);
  });

  it('defaults the planner pins', () => {
    assert.deepEqual(pinnedDefaults(model('wan2.6-i2v-flash')), { audio: true, watermark: false, prompt_extend: true, shot_type: 'single' });
    assert.deepEqual(pinnedDefaults(model('pixverse/pixverse-v6-it2v')), { shot_type: 'single', audio: false, watermark: false });
    assert.deepEqual(pinnedDefaults(model('pixverse/pixverse-v6-r2v')), { audio: false, watermark: false });
    assert.deepEqual(pinnedDefaults(model('pixverse/pixverse-c1-t2v')), { audio: false, watermark: false });
  });

  it('suggests exact names only, for near misses', () => {
    assert.equal(suggestModel('pixverse/pixverse-v5.6-t2'), 'pixverse/pixverse-v5.6-t2v');
    assert.equal(suggestModel('pixverse-v6-t2v'), 'pixverse/pixverse-v6-t2v');
    assert.equal(suggestModel('wan2.6-i2v-flsh'), 'wan2.6-i2v-flash');
    assert.equal(suggestModel('sora'), undefined);
  });

  it('finds siblings and nearest values', () => {
    assert.equal(siblingModel(model('pixverse/pixverse-v6-t2v'), 'it2v')?.name, 'pixverse/pixverse-v6-it2v');
    assert.equal(siblingModel(model('wan2.7-t2v'), 'videoedit')?.name, 'wan2.7-videoedit');
    assert.equal(siblingModel(model('wan2.2-kf2v-flash'), 'r2v'), undefined);
    assert.equal(nearestSize(model('pixverse/pixverse-v6-t2v'), '1280*960'), '1108*832');
    assert.equal(nearestSize(model('pixverse/pixverse-v5.6-t2v'), '1900*1000'), '1920*1080');
    // Same ratio on both sides of the asked size: both are suggested, the nearer in area first.
    assert.deepEqual(nearestSizes(model('pixverse/pixverse-v5.6-r2v'), '1280*960'), ['1108*830', '1662*1246']);
    assert.deepEqual(nearestSizes(model('pixverse/pixverse-v5.6-t2v'), '1108*830'), ['1024*768', '1280*960']);
    assert.deepEqual(nearestSizes(model('pixverse/pixverse-v5.6-t2v'), '2000*1500'), ['1920*1440']);
    assert.deepEqual(nearestSizes(model('pixverse/pixverse-v5.6-t2v'), '1900*1000'), ['1920*1080']);
    assert.deepEqual(nearestSizes(model('wan2.6-i2v-flash'), '1280*720'), []);
    assert.equal(nearestTierForSize('1280*720', ['720P', '1080P']), '720P');
    assert.equal(nearestTierForSize('640*360', ['720P', '1080P']), '720P');
    assert.equal(nearestTierForSize('1920*1080', ['360P', '540P', '720P']), '720P');
  });
});

describe('edit distance', () => {
  const table: [string, string, number][] = [
    ['seed', 'seed', 0],
    ['sede', 'seed', 1],
    ['sed', 'seed', 1],
    ['size', 'seed', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ];
  for (const [a, b, d] of table) it(`${a} ↔ ${b} = ${d}`, () => assert.equal(editDistance(a, b), d));
  it('prefers the transposition', () => assert.equal(closest('sede', ['size', 'seed']), 'seed'));
  it('accepts a prefix', () => assert.equal(closest('ref', ['type', 'url', 'ref_name']), 'ref_name'));
  it('refuses distant names', () => assert.equal(closest('banana', ['seed', 'size']), undefined));
});
