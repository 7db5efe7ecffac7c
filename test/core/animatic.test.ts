// The animatic's pure parts: the size it picks, the ffmpeg graph it builds, and when it is stale.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { animaticArgs, animaticStaleness, commonSize, type AnimaticClip, type AnimaticRecord } from '../../src/core/evidence/animatic.js';

const clip = (id: string, over: Partial<AnimaticClip> = {}): AnimaticClip => ({ id, file: `videos/${id}.mp4`, sha256: `sha-${id}`, width: 1280, height: 720, duration: 4, audio: false, ...over });

describe('animatic', () => {
  it('picks the most common size, the first clip’s on a tie', () => {
    assert.deepEqual(commonSize([clip('a', { width: 720, height: 1280 }), clip('b'), clip('c')]), { width: 1280, height: 720 });
    assert.deepEqual(commonSize([clip('a', { width: 720, height: 1280 }), clip('b')]), { width: 720, height: 1280 });
  });

  it('scales and pads every clip, gives silence to a silent one, labels from files, and joins in order', () => {
    const args = animaticArgs([clip('a'), clip('b', { audio: true, duration: 3 })], { width: 1280, height: 720, fps: 24, labels: true }, ['/r/a.mp4', '/r/b.mp4'], ['/t/0.txt', '/t/1.txt'], '/r/animatic.mp4.part');
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    assert.deepEqual(args.filter((_, i) => args[i - 1] === '-i'), ['/r/a.mp4', '/r/b.mp4']);
    assert.match(graph, /\[0:v:0\]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:\(ow-iw\)\/2:\(oh-ih\)\/2:black,setsar=1,fps=24/);
    assert.match(graph, /drawtext=textfile='\/t\/0\.txt'/);
    assert.match(graph, /anullsrc=r=48000:cl=stereo,atrim=duration=4,asetpts=PTS-STARTPTS\[a0\]/);
    assert.match(graph, /\[1:a:0\]aresample=48000.*atrim=duration=3/);
    assert.match(graph, /\[v0\]\[a0\]\[v1\]\[a1\]concat=n=2:v=1:a=1\[v\]\[a\]$/);
    assert.equal(args.at(-1), '/r/animatic.mp4.part');
    const plain = animaticArgs([clip('a')], { width: 1280, height: 720, fps: 24, labels: false }, ['/r/a.mp4'], ['/t/0.txt'], 'out');
    assert.doesNotMatch(plain.join(' '), /drawtext/);
  });

  const record = (only: string[] | null): AnimaticRecord => ({
    version: 1, file: 'animatic.mp4', made_at: '2026-12-08T00:00:00.000Z', width: 1280, height: 720, fps: 24, labels: false, only, duration: 8, sha256: 'film',
    shots: [{ id: 'a', file: 'videos/a.mp4', sha256: 'sha-a', duration: 4 }, { id: 'b', file: 'videos/b.mp4', sha256: 'sha-b', duration: 4 }],
  });
  const onDisk = { exists: true, sha256: 'film' };
  const cases: Array<[string, AnimaticRecord, Parameters<typeof animaticStaleness>[1], { exists: boolean; sha256?: string }, string[]]> = [
    ['up to date', record(null), [{ id: 'a', state: 'current', sha256: 'sha-a' }, { id: 'b', state: 'current', sha256: 'sha-b' }], onDisk, []],
    ['a shot rendered again', record(null), [{ id: 'a', state: 'current', sha256: 'new' }, { id: 'b', state: 'current', sha256: 'sha-b' }], onDisk, ['a was rendered again']],
    ['a shot now stale', record(null), [{ id: 'a', state: 'stale', sha256: 'sha-a' }, { id: 'b', state: 'current', sha256: 'sha-b' }], onDisk, ['a is stale now']],
    ['a shot gone from the manifest', record(null), [{ id: 'b', state: 'current', sha256: 'sha-b' }], onDisk, ['a is no longer in the manifest']],
    ['a new current shot (whole manifest)', record(null), [{ id: 'a', state: 'current', sha256: 'sha-a' }, { id: 'b', state: 'current', sha256: 'sha-b' }, { id: 'c', state: 'current', sha256: 'sha-c' }], onDisk, ['c was rendered since and is not in it']],
    ['a new current shot outside an --only selection', record(['a', 'b']), [{ id: 'a', state: 'current', sha256: 'sha-a' }, { id: 'b', state: 'current', sha256: 'sha-b' }, { id: 'c', state: 'current', sha256: 'sha-c' }], onDisk, []],
    ['the film missing', record(null), [], { exists: false }, ['animatic.mp4 is missing']],
    ['the film replaced', record(null), [], { exists: true, sha256: 'other' }, ['animatic.mp4 is not the file recorded (sha256 differs)']],
  ];
  for (const [name, r, shots, file, want] of cases) it(`staleness: ${name}`, () => assert.deepEqual(animaticStaleness(r, shots, file), want));
});
