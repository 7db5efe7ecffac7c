// The emulator's benchmark aids: a fixed task-time profile drawn per body (so two clients meet the
// same durations), the per-task times with the first answer that showed a task final, and the
// optional log of query times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { getTask, listTasks, submitOk, t2vBody } from '../helpers/emulator-http.js';

const FROZEN = 1000;
const PROFILE = { minMs: 2_000, maxMs: 6_000 };

test('a duration profile draws each task time from the seed and the body alone, with no scheduling delay', async () => {
  const a = await startEmulator({ timeScale: FROZEN, seed: 4, taskDurationMs: PROFILE });
  const b = await startEmulator({ timeScale: FROZEN, seed: 4, taskDurationMs: PROFILE });
  try {
    // Different submit orders on the two servers: the same body still gets the same duration.
    const prompts = ['one', 'two', 'three', 'four'];
    for (const p of prompts) await submitOk(a, t2vBody(p));
    for (const p of [...prompts].reverse()) await submitOk(b, t2vBody(p));
    a.advanceClock(60_000);
    b.advanceClock(60_000);
    const runMs = (emu: typeof a) =>
      new Map(emu.stats().tasks.map((t) => [t.bodySha256, t.times.endMs! - t.times.startMs!]));
    const ra = runMs(a);
    const rb = runMs(b);
    assert.equal(ra.size, 4);
    for (const [body, ms] of ra) {
      assert.ok(ms >= PROFILE.minMs && ms <= PROFILE.maxMs, `${ms} ms outside the profile`);
      assert.equal(rb.get(body), ms);
    }
    assert.ok(new Set(ra.values()).size > 1, 'durations vary between bodies');
    // No scheduling delay: a task starts when it is submitted (a slot was free).
    for (const t of a.stats().tasks) assert.equal(t.times.startMs, t.times.submitMs);
  } finally {
    await a.close();
    await b.close();
  }
});

test('stats give each task the time an answer first showed it final, and the query log when asked', async () => {
  const emu = await startEmulator({ timeScale: FROZEN, taskDurationMs: PROFILE, recordQueryTimes: true });
  try {
    const viaGet = await submitOk(emu, t2vBody('seen by a GET'));
    const viaList = await submitOk(emu, t2vBody('seen in the list'));
    await getTask(emu, viaGet); // RUNNING: not final yet
    emu.advanceClock(10_000);
    const before = emu.stats().tasks;
    assert.ok(before.every((t) => t.times.endMs !== undefined && t.times.seenFinalMs === undefined), 'ended, but no answer showed it yet');
    await getTask(emu, viaGet);
    emu.advanceClock(1_000);
    await listTasks(emu);
    emu.advanceClock(1_000);
    await getTask(emu, viaGet);
    const byId = new Map(emu.stats().tasks.map((t) => [t.taskId, t.times]));
    const g = byId.get(viaGet)!;
    const l = byId.get(viaList)!;
    // The first answer counts; later ones do not move it.
    assert.ok(g.seenFinalMs! >= g.endMs! && g.seenFinalMs! < l.seenFinalMs!, JSON.stringify({ g, l }));
    assert.ok(l.seenFinalMs! - g.seenFinalMs! >= 1_000);
    assert.equal(emu.stats().queryTimes?.length, 4);
    emu.resetStats();
    assert.deepEqual(emu.stats().queryTimes, []);
  } finally {
    await emu.close();
  }
  const quiet = await startEmulator({ timeScale: FROZEN });
  try {
    assert.equal(quiet.stats().queryTimes, undefined);
  } finally {
    await quiet.close();
  }
});
