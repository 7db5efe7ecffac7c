// Each rule of deliveredMismatches with a failing and a passing case.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deliveredMismatches, type AskedVideo } from '../../src/core/evidence/compare-delivered.js';
import type { VideoFacts } from '../../src/core/evidence/video-facts.js';

const file = (over: Partial<VideoFacts> = {}): VideoFacts => ({ width: 1280, height: 720, duration: 5, fps: 24, video_codec: 'avc1.64001f', audio: false, audio_codec: null, ...over });
const t2v: AskedVideo = { model: 'pixverse/pixverse-c1-t2v', size: '1280*720', tier: '720P', duration: 5, audio: false };
const it2v: AskedVideo = { model: 'pixverse/pixverse-v6-it2v', size: null, tier: '720P', duration: 5, audio: false };
const usage = { size: '1280*720', duration: 5, audio: false };

describe('deliveredMismatches', () => {
  const cases: Array<[string, AskedVideo, Record<string, unknown> | null, VideoFacts, string[]]> = [
    ['all as asked', t2v, usage, file(), []],
    ['size differs from the ask', t2v, { ...usage, size: '640*360' }, file({ width: 640, height: 360 }), ['size: asked 1280*720, the file is 640*360 (as the server reported)']],
    ['size differs from the usage too', t2v, usage, file({ width: 640, height: 360 }), ['size: asked 1280*720, the file is 640*360', 'size: the server reported 1280*720, the file is 640*360']],
    ['a tier ask met by a portrait size of that tier', it2v, null, file({ width: 720, height: 1280 }), []],
    ['a tier ask delivered at another tier', it2v, null, file({ width: 640, height: 360 }), ['resolution: asked 720P, the file is 640*360 (360P)']],
    ['duration within rounding', t2v, usage, file({ duration: 5.04 }), []],
    ['duration beyond rounding', t2v, usage, file({ duration: 4 }), ['duration: asked 5 s, the file lasts 4 s']],
    ['billed differs from ask and file', { ...t2v, duration: null }, { ...usage, duration: 8 }, file(), ['duration: billed 8 s, the file lasts 5 s']],
    ['audio track when silent was asked', t2v, usage, file({ audio: true, audio_codec: 'mp4a.40.2' }), ['audio: asked silent (audio: false), the file has an audio track']],
    ['no audio track when sound was asked', { ...t2v, audio: true }, usage, file(), ['audio: asked with sound (audio: true), the file has no audio track']],
    ['audio not asked either way', { ...t2v, audio: null }, usage, file({ audio: true }), []],
  ];
  for (const [name, asked, u, f, want] of cases) {
    it(name, () => assert.deepEqual(deliveredMismatches(asked, u, f), want));
  }
});
