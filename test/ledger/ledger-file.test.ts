import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLedger, readLedger } from '../../src/io/ledger-file.js';
import type { LedgerRecord } from '../../src/core/ledger/records.js';

const rec = (i: number): LedgerRecord => ({ t: 'run-end', at: `2026-11-21T00:00:0${i}.000Z`, runId: 'r', interrupted: false, counts: { i } });

test('a missing ledger reads as empty', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ledger-'));
  assert.deepEqual(await readLedger(path.join(dir, 'nope.jsonl')), { records: [], damagedLines: [] });
});

test('concurrent appends land whole and in call order', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ledger-'));
  const file = path.join(dir, 'sub', 'ledger.jsonl');
  const w = await openLedger(file);
  await Promise.all([0, 1, 2, 3, 4].map((i) => w.append(rec(i))));
  await w.close();
  const { records, damagedLines } = await readLedger(file);
  assert.deepEqual(damagedLines, []);
  assert.deepEqual(records.map((r) => (r as { counts?: Record<string, number> }).counts?.i), [0, 1, 2, 3, 4]);
  await assert.rejects(w.append(rec(5)), /closed/);
});

test('appends made while a flush is under way are written together, and each resolves only once its line is in the file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ledger-'));
  const file = path.join(dir, 'ledger.jsonl');
  const w = await openLedger(file);
  const seen: boolean[] = [];
  // Appends arrive in waves, as shots do: some while the first flush is still under way.
  const appends: Array<Promise<void>> = [];
  for (let i = 0; i < 300; i++) {
    appends.push(
      w.append(rec(i)).then(() => {
        seen[i] = readFileSync(file, 'utf8').includes(`"i":${i}}`);
      }),
    );
    if (i % 50 === 49) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(appends);
  await w.close();
  assert.equal(seen.filter(Boolean).length, 300, 'every append resolved after its line was written');
  const { records } = await readLedger(file);
  assert.deepEqual(records.map((r) => (r as { counts?: Record<string, number> }).counts?.i), Array.from({ length: 300 }, (_, i) => i));
});

test('a torn last line from a crash is reported and fenced off before the next append', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ledger-'));
  const file = path.join(dir, 'ledger.jsonl');
  await writeFile(file, JSON.stringify(rec(1)) + '\n{"t":"inte');
  const w = await openLedger(file);
  await w.append(rec(2));
  await w.close();
  const text = await readFile(file, 'utf8');
  assert.equal(text.split('\n').length, 4);
  const { records, damagedLines } = await readLedger(file);
  assert.equal(records.length, 2);
  assert.deepEqual(damagedLines, [2]);
});
