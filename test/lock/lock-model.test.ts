import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import { buildLock, isSafeRelativePath, isStableVideoUrl, lockFromData, lockPathFor, lockToData } from '../../src/core/lock/lock-model.js';
import { parseLockText } from '../../src/io/read-lock-file.js';
import { renderLockText } from '../../src/io/write-lock-file.js';
import { LedgerScript, plan, sha256 } from '../report/report-fixtures.js';

test('lock path sits beside the manifest', () => {
  assert.equal(lockPathFor('jobs/x.yaml'), 'jobs/x.lock.yaml');
  assert.equal(lockPathFor('/abs/jobs/x.YML'), '/abs/jobs/x.lock.yaml');
  assert.equal(lockPathFor('jobs/x'), 'jobs/x.lock.yaml');
});

for (const [url, stable] of [
  ['https://media.pixverseai.cn/abc/def.mp4', true],
  ['https://dashscope-result-bj.oss-cn-beijing.aliyuncs.com/x.mp4?Expires=1760000000&OSSAccessKeyId=a&Signature=b', false],
  ['https://host/x.mp4?x-oss-signature=1', false],
  ['http://127.0.0.1:4321/__files/t.mp4', false],
  ['http://localhost/x.mp4', false],
  ['https://user:pw@host/x.mp4', false],
  ['not a url', false],
] as const) {
  test(`video URL ${url} is ${stable ? '' : 'not '}stable`, () => assert.equal(isStableVideoUrl(url), stable));
}

for (const [p, safe] of [
  ['videos/a.mp4', true],
  ['videos/hero@seed=2,size=720*1280.mp4', true],
  ['../x.mp4', false],
  ['videos/../../x', false],
  ['/etc/passwd', false],
  ['C:/x.mp4', false],
  ['', false],
] as const) {
  test(`relative path '${p}' is ${safe ? '' : 'not '}safe`, () => assert.equal(isSafeRelativePath(p), safe));
}

test('the lock records each rendered shot sorted by id, with stable URLs only', () => {
  const b = plan({ id: 'b-shot', seed: 11 });
  const a = plan({ id: 'a-shot', seed: 22 });
  const never = plan({ id: 'c-never' });
  const l = new LedgerScript();
  l.success(b, { taskId: 't-b', videoUrl: 'https://media.pixverseai.cn/b.mp4', bytes: 5, sha: sha256('b') });
  l.success(a, { taskId: 't-a', bytes: 6, sha: sha256('a') });
  const lock = buildLock([b, never, a], foldLedger(l.records));
  assert.deepEqual(lock, {
    version: 1,
    shots: [
      { id: 'a-shot', key: a.key, model: a.model, seed: 22, task_id: 't-a', file: 'videos/a-shot.mp4', bytes: 6, sha256: sha256('a') },
      { id: 'b-shot', key: b.key, model: b.model, seed: 11, task_id: 't-b', file: 'videos/b-shot.mp4', bytes: 5, sha256: sha256('b'), url: 'https://media.pixverseai.cn/b.mp4' },
    ],
  });
  const text = renderLockText(lock);
  assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT/, 'no timestamps');
  assert.doesNotMatch(text, /127\.0\.0\.1/);
  assert.ok(text.indexOf('"a-shot"') < text.indexOf('"b-shot"'));
  assert.deepEqual(parseLockText(text), { ok: true, lock });
});

test('a stale shot keeps the seed of the request that produced its video', () => {
  const old = plan({ id: 'hero', seed: 1 });
  const now = plan({ id: 'hero', seed: 2 });
  const l = new LedgerScript();
  l.success(old);
  const [entry] = buildLock([now], foldLedger(l.records)).shots;
  assert.equal(entry?.key, old.key);
  assert.equal(entry?.seed, 1);
});

test('entries from the previous lock survive an empty ledger; removed shots are dropped', () => {
  const keep = plan({ id: 'keep' });
  const previous = {
    version: 1,
    shots: [
      { id: 'gone', key: 'k', model: keep.model, file: 'videos/gone.mp4', sha256: sha256('g') },
      { id: 'keep', key: keep.key, model: keep.model, file: 'videos/keep.mp4', sha256: sha256('k') },
    ],
  };
  assert.deepEqual(buildLock([keep], foldLedger([]), previous).shots.map((e) => e.id), ['keep']);
});

test('a newer download in the ledger replaces the previous lock entry', () => {
  const p = plan({ id: 'keep' });
  const l = new LedgerScript();
  l.success(p, { sha: sha256('new') });
  const previous = { version: 1, shots: [{ id: 'keep', key: 'old', model: p.model, file: 'videos/keep.mp4', sha256: sha256('old') }] };
  assert.equal(buildLock([p], foldLedger(l.records), previous).shots[0]?.sha256, sha256('new'));
});

test('lock data keeps the sorted id order even for integer-like ids, and fields in a fixed order', () => {
  const entry = (id: string) => ({ id, key: 'k', model: 'm', file: `videos/${id}.mp4`, sha256: sha256(id), seed: 1, url: 'https://x/y.mp4', task_id: 't' });
  const data = lockToData({ version: 1, shots: [entry('10'), entry('2'), entry('a')] });
  assert.deepEqual([...data.shots.keys()], ['10', '2', 'a']);
  assert.deepEqual(Object.keys(data.shots.get('2')!), ['key', 'model', 'seed', 'task_id', 'file', 'sha256', 'url']);
  assert.deepEqual(lockFromData(data), { ok: true, lock: { version: 1, shots: [entry('10'), entry('2'), entry('a')].map((e) => ({ ...e })) } });
});

test('lockFromData reads plain objects (JSON) as well as Maps (YAML)', () => {
  const lock = { version: 1, shots: [{ id: 'a', key: 'k', model: 'm', file: 'videos/a.mp4', sha256: sha256('a') }] };
  assert.deepEqual(lockFromData({ version: 1, shots: { a: { key: 'k', model: 'm', file: 'videos/a.mp4', sha256: sha256('a') } } }), { ok: true, lock });
  assert.deepEqual(lockFromData({ version: 1, shots: null }), { ok: true, lock: { version: 1, shots: [] } });
});

const good = { key: 'k', model: 'm', file: 'videos/a.mp4', sha256: sha256('a') };
for (const [name, data, message] of [
  ['unknown field', { version: 1, shots: { a: { ...good, colour: 'red' } } }, /shot "a": unknown field 'colour'/],
  ['missing sha256', { version: 1, shots: { a: { ...good, sha256: undefined } } }, /shot "a": 'sha256' (is missing|must be a string)/],
  ['a sha256 that is not one', { version: 1, shots: { a: { ...good, sha256: 'abc' } } }, /shot "a": 'sha256' must be 64/],
  ['path escaping the output dir', { version: 1, shots: { a: { ...good, file: '../a.mp4' } } }, /shot "a": 'file' must be a path relative/],
  ['absolute path', { version: 1, shots: { a: { ...good, file: '/home/me/a.mp4' } } }, /'file' must be a path relative/],
  ['seed as a string', { version: 1, shots: { a: { ...good, seed: '7' } } }, /shot "a": 'seed' must be a non-negative integer/],
  ['fractional bytes', { version: 1, shots: { a: { ...good, bytes: 1.5 } } }, /'bytes' must be a non-negative integer/],
  ['wrong version', { version: 2, shots: {} }, /unsupported lock version 2/],
  ['no version', { shots: {} }, /unsupported lock version \(missing\)/],
  ['shots as a list', { version: 1, shots: [{ id: 'a' }] }, /shots must be a mapping/],
  ['an entry that is not a mapping', { version: 1, shots: { a: 'x' } }, /shot "a": the entry must be a mapping/],
  ['unknown top-level field', { version: 1, shots: {}, extra: 1 }, /unknown top-level field 'extra'/],
  ['not a mapping at all', ['x'], /must be a mapping/],
] as const) {
  test(`lockFromData refuses ${name}`, () => {
    const read = lockFromData(JSON.parse(JSON.stringify(data)));
    assert.equal(read.ok, false);
    if (!read.ok) assert.match(read.message, message);
  });
}
