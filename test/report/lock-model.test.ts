import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import { buildLock, isSafeRelativePath, isStableVideoUrl, lockPathFor, parseLock, renderLock } from '../../src/core/report/lock-model.js';
import { LedgerScript, plan, sha256 } from './report-fixtures.js';

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
  const text = renderLock(lock);
  assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT/, 'no timestamps');
  assert.doesNotMatch(text, /127\.0\.0\.1/);
  assert.ok(text.indexOf('"a-shot"') < text.indexOf('"b-shot"'));
  assert.deepEqual(parseLock(text), { ok: true, lock });
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

test('an empty lock renders and parses', () => {
  const text = renderLock({ version: 1, shots: [] });
  assert.match(text, /^shots: \{\}$/m);
  assert.deepEqual(parseLock(text), { ok: true, lock: { version: 1, shots: [] } });
});

test('ids with quotes, unicode and sweep characters round-trip', () => {
  const lock = { version: 1, shots: [{ id: 'he said "hi"@seed=2,size=720*1280 — 雨', key: 'k', model: 'm', file: 'videos/x.mp4', sha256: sha256('x') }] };
  assert.deepEqual(parseLock(renderLock(lock)), { ok: true, lock });
});

for (const [name, text, line] of [
  ['unknown field', 'version: 1\nshots:\n  "a":\n    key: "k"\n    colour: "red"\n', 5],
  ['missing sha256', 'version: 1\nshots:\n  "a":\n    key: "k"\n    model: "m"\n    file: "videos/a.mp4"\n', 3],
  ['path escaping the output dir', 'version: 1\nshots:\n  "a":\n    key: "k"\n    model: "m"\n    file: "../a.mp4"\n    sha256: "s"\n', 3],
  ['seed as a string', 'version: 1\nshots:\n  "a":\n    seed: "7"\n', 4],
  ['wrong version', 'version: 2\nshots: {}\n', 1],
  ['free-form yaml', 'version: 1\nshots:\n  - id: a\n', 3],
] as const) {
  test(`parseLock refuses ${name} with its line`, () => {
    const parsed = parseLock(text);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.equal(parsed.line, line, parsed.message);
  });
}
