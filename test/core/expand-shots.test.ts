// Defaults, sweeps and ids.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { expandShots } from '../../src/core/manifest/expand-shots.js';
import { shotIdProblem, sweepLabel } from '../../src/core/manifest/shot-id.js';
import { checkManifest, show } from '../helpers/manifest-test-kit.js';

const T2V = { model: 'pixverse/pixverse-v6-t2v', prompt: 'p', size: '1280*720', duration: 5 };
const { duration: _omitted, ...NO_DURATION } = T2V;

describe('expandShots', () => {
  it('merges defaults; the shot wins', () => {
    const { shots, issues } = expandShots({ name: 'n', defaults: { duration: 8, audio: true }, shots: [{ id: 'a', ...T2V, duration: 5 }] });
    assert.deepEqual(issues, []);
    assert.equal(shots[0]!.shot.duration, 5);
    assert.equal(shots[0]!.shot.audio, true);
    assert.equal(shots[0]!.origin.fields['duration'], '/shots/0/duration');
    assert.equal(shots[0]!.origin.fields['audio'], '/defaults/audio');
  });

  it('expands sweeps as a cartesian product in canonical field order with readable ids', () => {
    // Written size before seed: the id still lists seed first.
    const { shots } = expandShots({ name: 'n', shots: [{ id: 'hero', ...T2V, size: ['1280*720', '720*1280'], seed: [1, 2] }] });
    assert.deepEqual(
      shots.map((s) => s.shot.id),
      ['hero@seed=1,size=1280x720', 'hero@seed=1,size=720x1280', 'hero@seed=2,size=1280x720', 'hero@seed=2,size=720x1280'],
    );
    const s = shots[2]!;
    assert.equal(s.shot.seed, 2);
    assert.equal(s.shot.size, '1280*720');
    assert.equal(s.origin.fields['seed'], '/shots/0/seed/1');
    assert.equal(s.origin.fields['size'], '/shots/0/size/0');
  });

  it('labels a prompt sweep by each prompt: itself when short and safe, else the first 8 hex digits of its sha256', () => {
    const long = 'Aerial shot over a quiet fishing harbour at dawn.';
    const { shots, issues } = expandShots({ name: 'n', shots: [{ id: 'p', ...T2V, prompt: ['dawn', long] }] });
    assert.deepEqual(issues, []);
    const hash = createHash('sha256').update(long, 'utf8').digest('hex').slice(0, 8);
    assert.deepEqual(shots.map((s) => s.shot.id), ['p@prompt=dawn', `p@prompt=${hash}`]);
    assert.equal(shots[1]!.shot.prompt, long);
    assert.equal(shots[1]!.origin.fields['prompt'], '/shots/0/prompt/1');
    assert.equal(sweepLabel('a'.repeat(25)), createHash('sha256').update('a'.repeat(25)).digest('hex').slice(0, 8), 'longer than 24: hashed');
    assert.equal(sweepLabel('two words'), createHash('sha256').update('two words').digest('hex').slice(0, 8), 'unsafe: hashed, never mangled');
  });

  it('inserting, removing or reordering prompts keeps the ids (and so the derived seeds) of the prompts that stay', () => {
    const ids = (prompt: string[]) => expandShots({ name: 'n', shots: [{ id: 'p', ...T2V, prompt }] }).shots.map((s) => s.shot.id);
    const [a, b] = ids(['A harbour at dawn', 'A lantern in the fog']);
    assert.deepEqual(ids(['Gulls over the pier', 'A harbour at dawn', 'A lantern in the fog']).slice(1), [a, b]);
    assert.deepEqual(ids(['A lantern in the fog', 'A harbour at dawn']), [b, a]);
    assert.deepEqual(ids(['A lantern in the fog']), [b]);
  });

  it('a prompt sweep written as a mapping is labelled by its keys, in the order written', () => {
    const { shots, issues } = expandShots({ name: 'n', shots: [{ id: 'p', ...T2V, seed: [1, 2], prompt: { wide: 'Aerial shot', close: 'Close-up' } }] });
    assert.deepEqual(issues, []);
    assert.deepEqual(shots.map((s) => s.shot.id), ['p@seed=1,prompt=wide', 'p@seed=1,prompt=close', 'p@seed=2,prompt=wide', 'p@seed=2,prompt=close']);
    assert.equal(shots[1]!.shot.prompt, 'Close-up');
    assert.equal(shots[1]!.origin.fields['prompt'], '/shots/0/prompt/close');
    assert.deepEqual(show(checkManifest({ name: 'n', shots: [{ id: 'p', ...T2V, prompt: { wide: 'Aerial shot', close: 'Close-up' } }] })), '(no issues)');
  });

  it('a label that cannot be part of a file name is an error at the label', () => {
    const { issues } = expandShots({ name: 'n', shots: [{ id: 'p', ...T2V, prompt: { 'wide shot': 'Aerial', '../x': 'Close' } }] });
    assert.deepEqual(issues.map((i) => [i.code, i.pointer]), [['unsafe-id', '/shots/0/prompt/wide shot'], ['unsafe-id', '/shots/0/prompt/..~1x']]);
    assert.match(issues[0]!.hint!, /e\.g\. 'wide-shot'/);
  });

  it('the same prompt twice in a list is one id: reported at both places', () => {
    const { shots, issues } = expandShots({ name: 'n', shots: [{ id: 'p', ...T2V, prompt: ['a cat', 'a dog', 'a cat'] }] });
    assert.equal(shots.length, 2);
    assert.deepEqual(issues.map((i) => [i.code, i.pointer, i.related?.[0]?.pointer]), [['duplicate-id', '/shots/0/prompt/2', '/shots/0/prompt/0']]);
  });

  it('only a prompt sweeps as a mapping: another field written as one is a type error', () => {
    const issues = checkManifest({ name: 'n', shots: [{ id: 'p', ...T2V, seed: { a: 1 } }] });
    assert.ok(issues.some((i) => i.severity === 'error' && i.pointer === '/shots/0/seed'), show(issues));
    const bad = checkManifest({ name: 'n', shots: [{ id: 'p', ...T2V, prompt: { wide: 3 } }] });
    assert.ok(bad.some((i) => i.severity === 'error' && i.pointer === '/shots/0/prompt/wide' && i.message === 'prompt (sweep value) must be a string, got the integer 3'), show(bad));
  });

  it('sweeps duration and resolution', () => {
    const { shots } = expandShots({ name: 'n', shots: [{ id: 'k', model: 'pixverse/pixverse-c1-it2v', resolution: ['540P', '720P'], duration: [3, 5] }] });
    assert.deepEqual(shots.map((s) => s.shot.id), ['k@resolution=540P,duration=3', 'k@resolution=540P,duration=5', 'k@resolution=720P,duration=3', 'k@resolution=720P,duration=5']);
  });

  it('a list in defaults sweeps every shot that does not override it', () => {
    const { shots } = expandShots({ name: 'n', defaults: { seed: [1, 2] }, shots: [{ id: 'a', ...T2V }, { id: 'b', ...T2V, seed: 9 }] });
    assert.deepEqual(shots.map((s) => s.shot.id), ['a@seed=1', 'a@seed=2', 'b']);
    assert.equal(shots[1]!.origin.fields['seed'], '/defaults/seed/1');
  });

  it('does not sweep media (a list by nature)', () => {
    const media = [{ type: 'image_url', url: 'https://x/a.png' }, { type: 'image_url', url: 'https://x/b.png' }];
    const { shots } = expandShots({ name: 'n', shots: [{ id: 'r', model: 'pixverse/pixverse-c1-r2v', media }] });
    assert.equal(shots.length, 1);
    assert.deepEqual(shots[0]!.shot.media, media);
  });

  it('reports duplicate ids at both places', () => {
    const { issues } = expandShots({ name: 'n', shots: [{ id: 'a', ...T2V }, { id: 'b', ...T2V }, { id: 'a', ...T2V }] });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.code, 'duplicate-id');
    assert.equal(issues[0]!.pointer, '/shots/2/id');
    assert.equal(issues[0]!.related?.[0]?.pointer, '/shots/0/id');
  });

  it('reports ids duplicated by a sweep at both values and expands them once', () => {
    const { shots, issues } = expandShots({ name: 'n', shots: [{ id: 'a', ...T2V, seed: [3, 4, 3] }] });
    assert.deepEqual(shots.map((s) => s.shot.id), ['a@seed=3', 'a@seed=4']);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.pointer, '/shots/0/seed/2');
    assert.equal(issues[0]!.related?.[0]?.pointer, '/shots/0/seed/0');
  });

  it('passes a valid sweep through the whole validator', () => {
    const issues = checkManifest({ name: 'n', defaults: { seed: [1, 2, 3] }, shots: [{ id: 'a', ...T2V, size: ['1280*720', '720*1280'] }] });
    assert.deepEqual(issues, [], show(issues));
  });

  it('places an issue of a sweep value at that value', () => {
    const issues = checkManifest({ name: 'n', shots: [{ id: 'a', ...T2V, duration: [5, 20] }] });
    assert.equal(issues.length, 1, show(issues));
    assert.equal(issues[0]!.pointer, '/shots/0/duration/1');
    assert.equal(issues[0]!.shot, 'a@duration=20');
  });

  it('reports an issue of a shared default once, naming the other shots', () => {
    const issues = checkManifest({ name: 'n', defaults: { duration: 20 }, shots: [{ id: 'a', ...NO_DURATION }, { id: 'b', ...NO_DURATION }] });
    assert.equal(issues.length, 1, show(issues));
    assert.equal(issues[0]!.pointer, '/defaults/duration');
    assert.deepEqual(issues[0]!.alsoIn, ['b']);
  });
});

describe('shot ids', () => {
  const table: [string, boolean][] = [
    ['hero', true],
    ['shot_01.take-2', true],
    ['_x', true],
    ['A'.repeat(100), true],
    ['A'.repeat(101), false],
    ['.hidden', false],
    ['-dash', false],
    ['has space', false],
    ['a/b', false],
    ['a@b', false],
    ['日本', false],
    ['con', false],
    ['CON.mp4', false],
    ['com1', false],
    ['console', true],
    ['', false],
  ];
  for (const [id, ok] of table) {
    it(`${JSON.stringify(id.length > 20 ? id.slice(0, 10) + '…' : id)} is ${ok ? 'safe' : 'refused'}`, () => {
      assert.equal(shotIdProblem(id) === undefined, ok, shotIdProblem(id));
    });
  }

  it('an unsafe id is an error at the id with a suggestion', () => {
    const issues = checkManifest({ name: 'n', shots: [{ id: 'my shot/1', ...T2V }] });
    assert.equal(issues.length, 1, show(issues));
    assert.equal(issues[0]!.code, 'unsafe-id');
    assert.equal(issues[0]!.pointer, '/shots/0/id');
    assert.match(issues[0]!.hint!, /'my-shot-1'/);
  });
});
