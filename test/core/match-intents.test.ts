// Pairing open intents with unknown tasks (src/core/task/match-intents.ts): a task is taken only
// when it is provably the intent's, by its prompt and every parameter the server echoes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { echoedParameterDiffers, matchIntentsToTasks, relationOf } from '../../src/core/task/match-intents.js';
import type { CandidateTask, IntentToMatch, Relation } from '../../src/core/task/match-intents.js';
import { findModel } from '../../src/core/catalog/lookup.js';

const T0 = 1_000_000;
const VIDEO = '/services/aigc/video-generation/video-synthesis';
const T2V = 'pixverse/pixverse-v6-t2v';

function intent(id: string, prompt: string, params: Record<string, unknown> = {}, model = T2V): IntentToMatch {
  return { id, atMs: T0, endpoint: VIDEO, body: { model, input: { prompt }, parameters: { size: '1280*720', duration: 5, audio: false, watermark: false, seed: 1, ...params } } };
}

/** A SUCCEEDED task as GET shows it (prompt and usage), created just after the intents. */
function done(taskId: string, prompt: string, usage: Record<string, unknown> = {}): CandidateTask {
  return { taskId, createdAtMs: T0 + 10, status: 'SUCCEEDED', origPrompt: prompt, usage: { duration: 5, size: '1280*720', audio: false, shot_type: 'single', SR: '720', ...usage } };
}

const byId = (intents: IntentToMatch[], tasks: CandidateTask[]) => Object.fromEntries(matchIntentsToTasks(intents, tasks, 1000).map((m) => [m.id, m]));

describe('relation of a task to an intent', () => {
  const x = intent('x', 'a harbour at dawn');
  const cases: Array<[string, CandidateTask, Relation]> = [
    ['same prompt and echoes, SUCCEEDED', done('T', 'a harbour at dawn'), 'own'],
    ['another prompt', done('T', 'a stranger\'s shot'), 'other'],
    ['created before the intent (beyond the skew)', { ...done('T', 'a harbour at dawn'), createdAtMs: T0 - 5000 }, 'other'],
    ['another size', done('T', 'a harbour at dawn', { size: '720*1280' }), 'other'],
    ['another duration', done('T', 'a harbour at dawn', { duration: 8 }), 'other'],
    ['another audio flag', done('T', 'a harbour at dawn', { audio: true }), 'other'],
    ['another shot_type', done('T', 'a harbour at dawn', { shot_type: 'multi' }), 'other'],
    ['posted on another path', { ...done('T', 'a harbour at dawn'), userApiUniqueKey: `apikey:v1:aigc:image2video:video-synthesis:${T2V}` }, 'other'],
    ['posted on the same path', { ...done('T', 'a harbour at dawn'), userApiUniqueKey: `apikey:v1:aigc:video-generation:video-synthesis:${T2V}` }, 'own'],
    ['a path key in an unknown format proves nothing', { ...done('T', 'a harbour at dawn'), userApiUniqueKey: 'something-else' }, 'own'],
    ['PENDING, no prompt yet', { taskId: 'T', createdAtMs: T0 + 10, status: 'PENDING' }, 'unseen'],
    ['RUNNING with its prompt, no usage yet', { taskId: 'T', createdAtMs: T0 + 10, status: 'RUNNING', origPrompt: 'a harbour at dawn' }, 'unseen'],
    ['RUNNING with another prompt', { taskId: 'T', createdAtMs: T0 + 10, status: 'RUNNING', origPrompt: 'other' }, 'other'],
    ['FAILED, no prompt shown: it bills nothing', { taskId: 'T', createdAtMs: T0 + 10, status: 'FAILED' }, 'unbilled'],
    ['CANCELED, no prompt shown', { taskId: 'T', createdAtMs: T0 + 10, status: 'CANCELED' }, 'unbilled'],
    ['SUCCEEDED without a prompt (a server that hides it) is never taken', { taskId: 'T', createdAtMs: T0 + 10, status: 'SUCCEEDED', usage: { duration: 5 } }, 'unseen'],
    ['FAILED after its prompt was seen running', { taskId: 'T', createdAtMs: T0 + 10, status: 'FAILED', origPrompt: 'a harbour at dawn' }, 'own'],
  ];
  for (const [name, c, want] of cases) it(name, () => assert.equal(relationOf(x, c, 1000), want));

  it('a prefix matches only a prompt the model truncates (over its limit)', () => {
    const long = 'w'.repeat(5100);
    assert.equal(relationOf(intent('l', long), done('T', long.slice(0, 5000)), 1000), 'own');
    assert.equal(relationOf(intent('s', 'long prompt'), done('T', 'long'), 1000), 'other');
  });

  it('an intent without a recorded body proves nothing', () => {
    assert.equal(relationOf({ id: 'n', atMs: T0, body: undefined }, done('T', 'x'), 1000), 'unseen');
  });
});

describe('echoed parameters', () => {
  const v56 = findModel('pixverse/pixverse-v5.6-t2v');
  const wan = findModel('wan2.6-i2v-flash');
  it('a size the server delivers smaller still matches (v5.6 1808*1808 for 8 s)', () => {
    assert.equal(echoedParameterDiffers({ size: '1808*1808', duration: 8 }, { size: '1440*1440', duration: 8 }, v56), undefined);
    assert.equal(echoedParameterDiffers({ size: '1808*1808', duration: 5 }, { size: '1440*1440', duration: 5 }, v56), 'size');
  });
  it('a resolution tier is compared with SR (PixVerse a string, Wan an integer)', () => {
    assert.equal(echoedParameterDiffers({ resolution: '720P' }, { SR: '720', size: '1280*720' }, findModel('pixverse/pixverse-v6-it2v')), undefined);
    assert.equal(echoedParameterDiffers({ resolution: '1080P' }, { SR: '720' }, findModel('pixverse/pixverse-v6-it2v')), 'resolution');
    assert.equal(echoedParameterDiffers({ resolution: '1080P', duration: 5 }, { SR: 720, duration: 5, output_video_duration: 5 }, wan), 'resolution');
  });
  it("Wan's duration is its output_video_duration", () => {
    assert.equal(echoedParameterDiffers({ duration: 5 }, { duration: 5, input_video_duration: 0, output_video_duration: 5 }, wan), undefined);
    assert.equal(echoedParameterDiffers({ duration: 10 }, { duration: 5, input_video_duration: 0, output_video_duration: 5 }, wan), 'duration');
  });
});

describe('one matching for all open intents', () => {
  it('the issue: X created nothing, Y created T: T goes to Y, X provably has none', () => {
    const m = byId([intent('x', 'shot x'), intent('y', 'shot y')], [done('T', 'shot y')]);
    assert.deepEqual(m['x'], { id: 'x', taskId: null });
    assert.deepEqual(m['y'], { id: 'y', taskId: 'T' });
  });

  it('a task that does not show its prompt yet is never taken on faith', () => {
    const m = byId([intent('x', 'shot x')], [{ taskId: 'T', createdAtMs: T0 + 10, status: 'PENDING' }]);
    assert.deepEqual(m['x'], { id: 'x', ambiguous: true, reason: 'unproven', candidates: ['T'], rivals: [] });
  });

  it('a task that ended without a result and shows no prompt is left unmatched, and said so: submitting again bills once', () => {
    const m = byId([intent('x', 'shot x')], [{ taskId: 'F', createdAtMs: T0 + 10, status: 'FAILED' }, done('S', 'a stranger')]);
    assert.deepEqual(m['x'], { id: 'x', taskId: null, unbilled: ['F'] });
  });

  it("another client's tasks with other prompts are nobody's", () => {
    const m = byId([intent('x', 'shot x')], [done('S1', 'someone else'), done('S2', 'another tool')]);
    assert.deepEqual(m['x'], { id: 'x', taskId: null });
  });

  it('a size sweep is told apart by usage.size', () => {
    const m = byId(
      [intent('h@size=1280*720', 'hero', { size: '1280*720' }), intent('h@size=720*1280', 'hero', { size: '720*1280' })],
      [done('W', 'hero', { size: '1280*720' }), done('V', 'hero', { size: '720*1280' })],
    );
    assert.deepEqual(m['h@size=1280*720'], { id: 'h@size=1280*720', taskId: 'W' });
    assert.deepEqual(m['h@size=720*1280'], { id: 'h@size=720*1280', taskId: 'V' });
  });

  it('a seed sweep is held, each intent naming its rival; one task for two look-alikes too', () => {
    const both = byId([intent('s@seed=1', 'same', { seed: 1 }), intent('s@seed=2', 'same', { seed: 2 })], [done('A', 'same'), done('B', 'same')]);
    assert.deepEqual(both['s@seed=1'], { id: 's@seed=1', ambiguous: true, reason: 'indistinguishable', candidates: ['A', 'B'], rivals: ['s@seed=2'] });
    const one = byId([intent('s@seed=1', 'same', { seed: 1 }), intent('s@seed=2', 'same', { seed: 2 })], [done('A', 'same')]);
    assert.ok('ambiguous' in one['s@seed=1']! && 'ambiguous' in one['s@seed=2']!);
  });

  it('two tasks that fit one intent equally are both held (one may be a stranger\'s identical request)', () => {
    const m = byId([intent('x', 'x')], [done('A', 'x'), done('B', 'x')]);
    assert.deepEqual(m['x'], { id: 'x', ambiguous: true, reason: 'indistinguishable', candidates: ['A', 'B'], rivals: [] });
  });

  it('look-alikes held together do not stop a third intent from taking its own task', () => {
    const m = byId([intent('x', 'p', { seed: 1 }), intent('y', 'p', { seed: 2 }), intent('z', 'p', { duration: 8 })], [done('A', 'p'), done('B', 'p', { duration: 8 })]);
    assert.ok('ambiguous' in m['x']! && 'ambiguous' in m['y']!);
    assert.deepEqual(m['z'], { id: 'z', taskId: 'B' });
  });

  it('an unseen task does not stop a provable one from being taken', () => {
    const m = byId([intent('x', 'x')], [done('A', 'x'), { taskId: 'U', createdAtMs: T0 + 10, status: 'PENDING' }]);
    assert.deepEqual(m['x'], { id: 'x', taskId: 'A' });
  });
});
