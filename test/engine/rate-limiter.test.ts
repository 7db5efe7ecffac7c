import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingWindowLimiter } from '../../src/engine/rate-limiter.js';
import { Semaphore } from '../../src/engine/semaphore.js';
import { FakeClock, flush } from '../helpers/run-fake-clock.js';

function maxInAnyWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && times[j]! < times[i]! + windowMs; j++) n++;
    best = Math.max(best, n);
  }
  return best;
}

test('the limiter admits at most `limit` acquisitions in any sliding window', async () => {
  const clock = new FakeClock();
  const limiter = new SlidingWindowLimiter(5, 1000, clock);
  const admitted: number[] = [];
  const all = Array.from({ length: 23 }, () => limiter.acquire().then(() => admitted.push(clock.now())));
  for (let i = 0; i < 60 && admitted.length < 23; i++) await clock.advance(100);
  await Promise.all(all);
  assert.equal(admitted.length, 23);
  assert.equal(maxInAnyWindow(admitted, 1000), 5);
  // FIFO and no idling: the 6th goes exactly one window after the 1st.
  assert.equal(admitted[5]! - admitted[0]!, 1000);
});

test('restamp counts an admission from when its request was sent: a slow step in between never bunches requests into one window', async () => {
  const clock = new FakeClock();
  const limiter = new SlidingWindowLimiter(2, 1000, clock);
  // The first caller is admitted at 0 but sends only at 400 (a slow flush in between).
  const t0 = clock.now();
  const first = await limiter.acquire();
  assert.equal(first, t0);
  await limiter.acquire(); // admitted and sent at 0
  await clock.advance(400);
  limiter.restamp(first);
  // Without the restamp the third would go at 1000, 600 ms after the first request arrived.
  let at = -1;
  const third = limiter.acquire().then((t) => (at = t));
  await clock.advance(600);
  await flush();
  assert.equal(at - t0, 1000, 'the admission sent at 0 frees its slot at 1000');
  const fourth = limiter.acquire().then((t) => t);
  await clock.advance(400);
  await third;
  assert.equal((await fourth) - t0, 1400, 'the restamped one frees its slot a window after it was sent');
});

test('pauseFor holds every caller until the pause ends (shared backoff)', async () => {
  const clock = new FakeClock();
  const limiter = new SlidingWindowLimiter(10, 1000, clock);
  await limiter.acquire();
  const start = clock.now();
  limiter.pauseFor(3000);
  let at = 0;
  const p = limiter.acquire().then(() => (at = clock.now()));
  await clock.advance(2999);
  assert.equal(at, 0);
  await clock.advance(1);
  await p;
  assert.equal(at - start, 3000);
  // A shorter pause never shortens one in force.
  limiter.pauseFor(5000);
  limiter.pauseFor(10);
  assert.equal(limiter.pausedForMs(), 5000);
});

test('an aborted waiter takes no slot and rejects', async () => {
  const clock = new FakeClock();
  const limiter = new SlidingWindowLimiter(1, 1000, clock);
  await limiter.acquire();
  const ac = new AbortController();
  const waiting = limiter.acquire(ac.signal);
  await flush();
  ac.abort();
  await assert.rejects(waiting, /aborted/);
  const next = limiter.acquire();
  await clock.advance(1000);
  await next;
  assert.equal(limiter.admitted, 2);
});

test('the semaphore is FIFO, over-capacity force slots block new ones, abort removes a waiter', async () => {
  const s = new Semaphore(2);
  const r1 = await s.acquire();
  const forced = s.forceAcquire();
  forced();
  const r2 = await s.acquire();
  const order: string[] = [];
  const a = s.acquire().then((r) => (order.push('a'), r));
  const ac = new AbortController();
  const b = s.acquire(ac.signal);
  const c = s.acquire().then((r) => (order.push('c'), r));
  ac.abort();
  await assert.rejects(b);
  const extra = s.forceAcquire();
  assert.equal(s.inUse, 3);
  r1();
  await flush();
  assert.deepEqual(order, []); // still at capacity because of the forced slot
  extra();
  await flush();
  assert.deepEqual(order, ['a']);
  r2();
  await flush();
  assert.deepEqual(order, ['a', 'c']);
  (await a)();
  (await c)();
  assert.equal(s.inUse, 0);
});
