import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import { shotState, videoChecks } from '../../src/core/report/shot-state.js';
import type { DiskFacts, ShotStateKind } from '../../src/core/report/shot-state.js';
import type { LockFile } from '../../src/core/lock/lock-model.js';
import type { PlannedRequest } from '../../src/core/types.js';
import { LedgerScript, disk, plan, sha256 } from './report-fixtures.js';

const hero = plan({ id: 'hero' });
const heroWide = plan({ id: 'hero', size: '1920*1080' });
const onDisk = (file = 'videos/hero.mp4', bytes = 100, sha?: string): DiskFacts =>
  disk({ [file]: { exists: true, bytes, ...(sha ? { sha256: sha } : {}) } });
const lockOf = (over: Partial<LockFile['shots'][number]> = {}): LockFile => ({
  version: 1,
  shots: [{ id: 'hero', key: hero.key, model: hero.model, seed: 7, task_id: 'task-9', file: 'videos/hero.mp4', bytes: 100, sha256: sha256('hero'), ...over }],
});

interface Case {
  name: string;
  script: (l: LedgerScript) => void;
  plan?: PlannedRequest;
  disk?: DiskFacts;
  lock?: LockFile;
  state: ShotStateKind;
  detail: RegExp;
  error?: string;
  changes?: string[];
}

const cases: Case[] = [
  { name: 'nothing known', script: () => {}, state: 'never-rendered', detail: /^never rendered$/ },
  {
    name: 'task running',
    script: (l) => {
      l.intent(hero);
      l.state(hero, l.submitted(hero, 'task-r'), 'RUNNING');
    },
    state: 'running',
    detail: /task task-r RUNNING/,
  },
  { name: 'intent without answer', script: (l) => l.intent(hero), state: 'running', detail: /reconciles/ },
  {
    name: 'submitted, not polled yet',
    script: (l) => {
      l.intent(hero);
      l.submitted(hero, 'task-p');
    },
    state: 'running',
    detail: /task task-p submitted/,
  },
  { name: 'rendered, file on disk', script: (l) => l.success(hero, { taskId: 'task-1' }), disk: onDisk(), state: 'current', detail: /rendered and current \(task task-1\)/ },
  { name: 'rendered, file gone', script: (l) => l.success(hero, { taskId: 'task-1' }), disk: disk(), state: 'missing', detail: /video not on disk \(videos\/hero\.mp4\)/ },
  { name: 'rendered, file size differs', script: (l) => l.success(hero), disk: onDisk('videos/hero.mp4', 99), state: 'stale', detail: /sha256 differs/, changes: ['video file'] },
  { name: 'rendered, file hash differs', script: (l) => l.success(hero), disk: onDisk('videos/hero.mp4', 100, sha256('other')), state: 'stale', detail: /sha256 differs/ },
  {
    name: 'task FAILED',
    script: (l) => l.failure(hero, 'DataInspectionFailed', 'Output data may contain inappropriate content.'),
    state: 'failed',
    detail: /^DataInspectionFailed: Output data/,
    error: 'DataInspectionFailed',
  },
  {
    name: 'submit refused',
    script: (l) => {
      l.intent(hero);
      l.records.push({ t: 'submit-rejected', at: l.at(), runId: l.runId, shot: 'hero', key: hero.key, httpStatus: 400, code: 'InvalidParameter', message: 'The size is not match' });
    },
    state: 'failed',
    detail: /InvalidParameter: The size is not match/,
    error: 'InvalidParameter',
  },
  {
    name: 'task UNKNOWN (expired)',
    script: (l) => {
      l.intent(hero);
      l.state(hero, l.submitted(hero), 'UNKNOWN');
    },
    state: 'failed',
    detail: /TaskUnknown/,
    error: 'TaskUnknown',
  },
  {
    name: 'task canceled',
    script: (l) => {
      l.intent(hero);
      const t = l.submitted(hero);
      l.records.push({ t: 'canceled', at: l.at(), runId: l.runId, shot: 'hero', key: hero.key, taskId: t });
    },
    state: 'failed',
    detail: /Canceled/,
    error: 'Canceled',
  },
  {
    name: 'download failed',
    script: (l) => {
      l.intent(hero);
      const t = l.submitted(hero);
      l.state(hero, t, 'SUCCEEDED', { videoUrl: 'https://v/x.mp4' });
      l.records.push({ t: 'download-failed', at: l.at(), runId: l.runId, shot: 'hero', key: hero.key, taskId: t, message: 'HTTP 500' });
    },
    state: 'failed',
    detail: /DownloadFailed: HTTP 500/,
    error: 'DownloadFailed',
  },
  {
    name: 'succeeded, download pending',
    script: (l) => {
      l.intent(hero);
      l.state(hero, l.submitted(hero, 'task-s'), 'SUCCEEDED');
    },
    state: 'running',
    detail: /task task-s SUCCEEDED, video not downloaded yet/,
  },
  {
    name: 'request changed since the render',
    script: (l) => l.success(hero),
    plan: heroWide,
    disk: onDisk(),
    state: 'stale',
    detail: /request changed since the last render: parameters\.size/,
    changes: ['parameters.size'],
  },
  {
    name: 'changed request failed, old video remains',
    script: (l) => {
      l.success(hero);
      l.failure(heroWide, 'InternalError', 'try later');
    },
    plan: heroWide,
    disk: onDisk(),
    state: 'failed',
    detail: /InternalError: try later; an older video/,
    error: 'InternalError',
  },
  {
    name: 'old failure, request changed since',
    script: (l) => l.failure(hero),
    plan: heroWide,
    state: 'never-rendered',
    detail: /an earlier request was submitted/,
  },
  {
    name: 'reconciled: no task was created',
    script: (l) => {
      l.intent(hero);
      l.records.push({ t: 'submit-uncertain', at: l.at(), runId: l.runId, shot: 'hero', key: hero.key, code: 'ECONNRESET', message: 'socket hang up' });
      l.records.push({ t: 'reconciled', at: l.at(), runId: l.runId, shot: 'hero', key: hero.key, taskId: null });
    },
    state: 'never-rendered',
    detail: /created no task/,
  },
  {
    name: 'lock only, video hash matches',
    script: () => {},
    lock: lockOf(),
    disk: onDisk('videos/hero.mp4', 100, sha256('hero')),
    state: 'current',
    detail: /rendered and current \(task task-9\), verified against the lock/,
  },
  { name: 'lock only, fresh clone without output/', script: () => {}, lock: lockOf(), disk: disk(), state: 'missing', detail: /^recorded in lock, video not on disk/ },
  {
    name: 'lock only, video hash differs',
    script: () => {},
    lock: lockOf(),
    disk: onDisk('videos/hero.mp4', 100, sha256('x')),
    state: 'stale',
    detail: /not the video the lock records/,
  },
  {
    name: 'lock only, request changed (seed)',
    script: () => {},
    lock: lockOf({ key: 'old-key', seed: 1 }),
    disk: onDisk('videos/hero.mp4', 100, sha256('hero')),
    state: 'stale',
    detail: /since the locked render: parameters\.seed/,
    changes: ['parameters.seed'],
  },
];

for (const c of cases) {
  test(`shot state: ${c.name} → ${c.state}`, () => {
    const l = new LedgerScript();
    c.script(l);
    const s = shotState(c.plan ?? hero, foldLedger(l.records), c.lock, c.disk ?? disk());
    assert.equal(s.state, c.state, s.detail);
    assert.match(s.detail, c.detail);
    assert.equal(s.error?.code, c.error);
    if (c.changes) assert.deepEqual(s.changes, c.changes);
  });
}

test('a lock entry is hashed before it is believed; a ledger download is checked by size; only unmeasured videos are measured', () => {
  const l = new LedgerScript();
  const other = plan({ id: 'other' });
  const measuredShot = plan({ id: 'measured' });
  l.success(other);
  l.success(measuredShot);
  // The download of `measured` recorded the file's metadata: nothing to read again.
  const records = l.records.map((r) =>
    r.t === 'downloaded' && r.shot === 'measured' ? { ...r, media: { width: 1280, height: 720, duration: 5, fps: 24, video_codec: 'avc1', audio: false, audio_codec: null } } : r,
  );
  assert.deepEqual(videoChecks([hero, other, measuredShot], foldLedger(records), lockOf()), [
    { file: 'videos/hero.mp4', hash: true, measure: true },
    { file: 'videos/other.mp4', hash: false, measure: true },
    { file: 'videos/measured.mp4', hash: false, measure: false },
  ]);
});

test('a lock entry that points outside the output directory is never checked', () => {
  assert.deepEqual(videoChecks([hero], foldLedger([]), lockOf({ file: '../../etc/passwd' })), []);
});
