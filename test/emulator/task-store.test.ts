// The lifecycle replay in isolation: the same history whether time jumps or creeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findModel } from '../../src/core/catalog/lookup.js';
import { createRng } from '../../src/emulator/rng.js';
import { TaskStore, drawRunMs } from '../../src/emulator/task-store.js';

const model = findModel('pixverse/pixverse-c1-t2v')!;

function fill(store: TaskStore, n: number): void {
  for (let i = 0; i < n; i++) {
    store.create(
      { id: `t${i}`, model, endpoint: model.endpoint, body: { parameters: { duration: 5 } }, bodySha256: `b${i}`, requestId: `r${i}`, tier: '720P', markers: {}, notes: [] },
      i * 100,
    );
  }
}

function history(store: TaskStore): Array<[string, number | undefined, number | undefined]> {
  return store.all().map((t) => [t.status, t.startAt, t.endAt]);
}

describe('TaskStore.settle', () => {
  it('gives the same history for one big jump and many small steps', () => {
    const jump = new TaskStore(createRng(5), () => 2);
    const creep = new TaskStore(createRng(5), () => 2);
    fill(jump, 6);
    fill(creep, 6);
    jump.settle(3_600_000);
    for (let t = 0; t <= 3_600_000; t += 997) creep.settle(t);
    creep.settle(3_600_000);
    assert.deepEqual(history(creep), history(jump));
    assert.ok(history(jump).every(([s]) => s === 'SUCCEEDED'));
  });

  it('never runs more than the cap and starts tasks in FIFO order', () => {
    const store = new TaskStore(createRng(9), () => 2);
    fill(store, 7);
    store.settle(3_600_000);
    const tasks = store.all();
    const starts = tasks.map((t) => t.startAt as number);
    assert.deepEqual([...starts].sort((a, b) => a - b), starts);
    for (const t of tasks) {
      const overlapping = tasks.filter((o) => (o.startAt as number) <= (t.startAt as number) && (o.endAt as number) > (t.startAt as number));
      assert.ok(overlapping.length <= 2);
    }
    assert.equal(store.peaks().running['pixverse-c1'], 2);
    assert.equal(store.peaks().active['pixverse-c1'], 7);
  });

  it('draws longer runs for longer clips and higher tiers (same draws)', () => {
    const short = drawRunMs(createRng(1), model, '720P', 5, false);
    const long = drawRunMs(createRng(1), model, '720P', 15, false);
    const hd = drawRunMs(createRng(1), model, '1080P', 5, false);
    assert.ok(long > short);
    assert.ok(hd > short);
  });
});
