// The lock file's text: canonical YAML out (byte-stable, diff-friendly), any valid YAML spelling of
// the same data in (a teammate re-indents it, a merge tool rewrites it), a broken file refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LockFile } from '../../src/core/lock/lock-model.js';
import { parseLockText } from '../../src/io/read-lock-file.js';
import { renderLockText } from '../../src/io/write-lock-file.js';
import { parseYamlText, stringifyYaml } from '../../src/io/yaml-text.js';
import { sha256 } from './report-fixtures.js';

const SHA_A = sha256('a');
const SHA_B = sha256('b');

const LOCK: LockFile = {
  version: 1,
  shots: [
    { id: 'a-shot', key: 'k-a', model: 'pixverse/pixverse-c1-t2v', seed: 22, task_id: 't-a', file: 'videos/a-shot.mp4', bytes: 6, sha256: SHA_A },
    { id: 'b@seed=2,size=720*1280', key: 'k-b', model: 'wan2.6-i2v-flash', file: 'videos/b@seed=2,size=720*1280.mp4', sha256: SHA_B, url: 'https://media.pixverseai.cn/b.mp4' },
  ],
};

test('the lock text is canonical: header, plain field names, quoted ids and strings, fixed field order', () => {
  assert.equal(
    renderLockText(LOCK),
    [
      "# pixverse lock file: the video each shot's request produced. Written by `pixverse run`;",
      '# commit it. Sorted by shot id; changes only when a shot changes. Do not edit by hand.',
      '',
      'version: 1',
      'shots:',
      '  "a-shot":',
      '    key: "k-a"',
      '    model: "pixverse/pixverse-c1-t2v"',
      '    seed: 22',
      '    task_id: "t-a"',
      '    file: "videos/a-shot.mp4"',
      '    bytes: 6',
      `    sha256: "${SHA_A}"`,
      '  "b@seed=2,size=720*1280":',
      '    key: "k-b"',
      '    model: "wan2.6-i2v-flash"',
      '    file: "videos/b@seed=2,size=720*1280.mp4"',
      `    sha256: "${SHA_B}"`,
      '    url: "https://media.pixverseai.cn/b.mp4"',
      '',
    ].join('\n'),
  );
  assert.equal(renderLockText(structuredClone(LOCK)), renderLockText(LOCK), 'same lock, same bytes');
  assert.deepEqual(parseLockText(renderLockText(LOCK)), { ok: true, lock: LOCK });
});

test('an empty lock renders and parses', () => {
  const text = renderLockText({ version: 1, shots: [] });
  assert.match(text, /^shots: \{\}$/m);
  assert.deepEqual(parseLockText(text), { ok: true, lock: { version: 1, shots: [] } });
});

test('ids a YAML reader could misread round-trip, quoted', () => {
  const ids = ['yes', 'no', 'on', '1', '007', '1e3', 'null', '~', '@x', '#x', 'a: b', '- a', 'he said "hi"', 'it\'s', '雨 — 2', ' pad ', 'tab\there'];
  const lock: LockFile = { version: 1, shots: ids.map((id, i) => ({ id, key: `k${i}`, model: 'm', file: `videos/${i}.mp4`, sha256: SHA_A })) };
  const text = renderLockText(lock);
  for (const id of ids.filter((x) => !x.includes('\t'))) assert.ok(text.includes(`\n  ${JSON.stringify(id)}:\n`), `${JSON.stringify(id)} quoted in\n${text}`);
  assert.deepEqual(parseLockText(text), { ok: true, lock });
});

test('a long URL stays on one line (no folding that would churn diffs)', () => {
  const url = `https://media.pixverseai.cn/${'x'.repeat(300)}.mp4`;
  const text = renderLockText({ version: 1, shots: [{ id: 'a', key: 'k', model: 'm', file: 'videos/a.mp4', sha256: SHA_A, url }] });
  assert.ok(text.split('\n').includes(`    url: "${url}"`));
});

test('any valid YAML spelling of the lock reads the same: re-indented, flow style, single quotes, plain scalars, CRLF', () => {
  const expected = { ok: true, lock: { version: 1, shots: [{ id: 'a', key: 'k', model: 'm', seed: 7, file: 'videos/a.mp4', sha256: SHA_A }] } };
  const spellings = [
    `version: 1\nshots:\n    a:\n        key: k\n        model: m\n        seed: 7\n        file: videos/a.mp4\n        sha256: ${SHA_A}\n`,
    `{version: 1, shots: {"a": {key: 'k', model: "m", seed: 7, file: 'videos/a.mp4', sha256: '${SHA_A}'}}}\n`,
    `# edited\r\nversion: 1\r\nshots:\r\n  'a': {key: k, model: m, seed: 7, file: videos/a.mp4, sha256: "${SHA_A}"}\r\n`,
    `---\nshots:\n  a:\n    sha256: ${SHA_A}\n    file: videos/a.mp4\n    seed: 7\n    model: m\n    key: k\nversion: 1\n...\n`,
  ];
  for (const text of spellings) assert.deepEqual(parseLockText(text), expected, text);
});

for (const [name, text, problem] of [
  ['merge-conflict markers', `version: 1\nshots:\n<<<<<<< HEAD\n  "a":\n    key: "k1"\n=======\n  "a":\n    key: "k2"\n>>>>>>> other\n`, /^line 3: /],
  ['a duplicate shot id', `version: 1\nshots:\n  "a":\n    key: "k"\n  "a":\n    key: "k"\n`, /^line 5: duplicate key/],
  ['free-form yaml', 'version: 1\nshots:\n  - id: a\n', /shots must be a mapping/],
  ['an unknown field', `version: 1\nshots:\n  "a":\n    key: "k"\n    model: "m"\n    file: "videos/a.mp4"\n    sha256: "${SHA_A}"\n    colour: "red"\n`, /shot "a": unknown field 'colour'/],
  ['an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nversion: 1\nshots: {}\n`, /alias/i],
  ['an empty file', '', /must be a mapping/],
] as const) {
  test(`a lock with ${name} is refused, not half-read`, () => {
    const parsed = parseLockText(text);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.problem, problem);
  });
}

test('yaml-text: Maps keep insertion order, plain objects would not; values double-quoted; keys plain only when listed', () => {
  const text = stringifyYaml(new Map<string, unknown>([['b', 'x'], ['2', { n: 1, s: 'yes' }]]), { plainKeys: new Set(['n', 's']), comment: ['hello'] });
  assert.equal(text, '# hello\n\n"b": "x"\n"2":\n  n: 1\n  s: "yes"\n');
  const back = parseYamlText(text);
  assert.ok(back.ok);
  if (back.ok) assert.deepEqual(back.data, new Map<string, unknown>([['b', 'x'], ['2', new Map<string, unknown>([['n', 1], ['s', 'yes']])]]));
  assert.deepEqual(parseYamlText(''), { ok: true, data: null });
  const bad = parseYamlText('a: [1, 2\n');
  assert.equal(bad.ok, false);
});
