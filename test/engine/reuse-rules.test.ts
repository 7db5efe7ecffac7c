// The pure rules of reuse (src/core/plan/reuse.ts): which renders count as sources (same server
// only), which decisions a reuse may replace, candidate order, in-run twins, the derived-seed
// explanation, and the ledger fold of a `reused` record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLedger, renderedAttempt } from '../../src/core/ledger/fold-ledger.js';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import { decideRender } from '../../src/core/plan/render-decision.js';
import type { RenderDecision } from '../../src/core/plan/render-decision.js';
import { explainNewSeed, inRunReuse, isPositionalPromptId, ledgerReuseSources, lockReuseSources, mayReuse, reuseCandidates, reuseDecision, seedOnlyTwin, serverIdentity } from '../../src/core/plan/reuse.js';
import type { ReuseSource } from '../../src/core/plan/reuse.js';
import type { PlannedRequest } from '../../src/core/types.js';

const AT = '2026-11-21T12:00:00.000Z';
const URL_A = 'https://dashscope.aliyuncs.com/api/v1';

function req(shotId: string, key: string, seed = 1, seedDerived = false): PlannedRequest {
  return {
    shotId,
    model: 'pixverse/pixverse-v6-t2v',
    endpoint: '/services/aigc/video-generation/video-synthesis',
    body: { model: 'pixverse/pixverse-v6-t2v', input: { prompt: 'a' }, parameters: { size: '1280*720', duration: 5, seed } },
    localMedia: [],
    key,
    tier: '720P',
    billableSeconds: 5,
    pinned: [],
    seedDerived,
  };
}

function rendered(runId: string, shot: string, key: string, seed = 1): LedgerRecord[] {
  return [
    { t: 'intent', at: AT, runId, shot, key, model: 'pixverse/pixverse-v6-t2v', endpoint: '/x', attempt: 1, reason: 'new', body: req(shot, key, seed).body, mediaSha256: {} },
    { t: 'submitted', at: AT, runId, shot, key, taskId: `task-${shot}`, requestId: 'q' },
    { t: 'state', at: AT, runId, shot, key, taskId: `task-${shot}`, status: 'SUCCEEDED' },
    { t: 'downloaded', at: AT, runId, shot, key, taskId: `task-${shot}`, file: `videos/${shot}.mp4`, bytes: 10, sha256: `sha-${shot}`, videoUrl: 'https://v' },
  ];
}

const runStart = (runId: string, baseUrl: string, emulator = false): LedgerRecord => ({
  t: 'run-start', at: AT, runId, manifest: 'm.yaml', manifestSha256: 'x', toolVersion: '1', region: 'cn-beijing', baseUrl, emulator, shots: [],
});

const newDecision = (shot: string): RenderDecision => ({ shot, action: 'submit', reasonCode: 'new', reason: 'new shot', attempt: 1 });

test('a ledger source is a downloaded video of a run on the same server; emulator sessions are one server, never a real one', () => {
  const view = foldLedger([runStart('r1', URL_A), ...rendered('r1', 'a', 'K1'), runStart('r2', 'http://127.0.0.1:5000/api/v1'), ...rendered('r2', 'b', 'K2'), runStart('r3', 'http://127.0.0.1:6000/api/v1', true), ...rendered('r3', 'c', 'K3')]);
  const keys = (server: string) => ledgerReuseSources(view, { dir: '/out/m', server }).map((s) => s.key);
  assert.deepEqual(keys(URL_A), ['K1']);
  assert.deepEqual(keys('http://127.0.0.1:5000/api/v1'), ['K2']);
  assert.deepEqual(keys(serverIdentity({ baseUrl: 'http://127.0.0.1:7000/api/v1', emulator: true })), ['K3']);
  const [s] = ledgerReuseSources(view, { dir: '/out/m', server: URL_A, manifest: 'other' });
  assert.deepEqual(s!.from, { shot: 'a', manifest: 'other', record: 'ledger', file: 'videos/a.mp4' });
  assert.equal(s!.taskId, 'task-a');
  assert.equal(s!.sha256, 'sha-a');
});

test('candidates: same key only, never the shot itself in its own folder; this manifest before others, ledger before lock', () => {
  const mk = (shot: string, record: 'ledger' | 'lock', manifest?: string, key = 'K'): ReuseSource => ({
    key, model: 'm', dir: manifest ? `/out/${manifest}` : '/out/m', sha256: 'h', from: { shot, record, file: `videos/${shot}.mp4`, ...(manifest ? { manifest } : {}) },
  });
  const sources = [mk('x', 'ledger', 'other'), mk('y', 'lock'), mk('hero', 'ledger'), mk('z', 'ledger'), mk('w', 'ledger', undefined, 'K2')];
  assert.deepEqual(reuseCandidates(req('hero', 'K'), sources, '/out/m').map((s) => s.from.shot), ['z', 'y', 'x']);
  assert.deepEqual(lockReuseSources([{ id: 'l', key: 'K', model: 'm', file: 'videos/l.mp4', sha256: 'h', task_id: 't' }], { dir: '/out/m' })[0]!.from, { shot: 'l', record: 'lock', file: 'videos/l.mp4' });
});

test('a reuse replaces a submit or a hold, never a forced render, a live task, an open intent or a download', () => {
  const d = (action: RenderDecision['action'], reasonCode: RenderDecision['reasonCode']): RenderDecision => ({ shot: 's', action, reasonCode, reason: '', attempt: 1 });
  assert.equal(mayReuse(d('submit', 'new')), true);
  assert.equal(mayReuse(d('submit', 'changed')), true);
  assert.equal(mayReuse(d('hold', 'video-missing')), true);
  assert.equal(mayReuse(d('submit', 'forced')), false);
  for (const a of ['reattach', 'reconcile', 'download', 'skip'] as const) assert.equal(mayReuse(d(a, 'live-task')), false, a);
  const source: ReuseSource = { key: 'K1234567890abcdef', model: 'm', dir: '/o', sha256: 'h', from: { shot: 'old', record: 'ledger', file: 'videos/old.mp4' } };
  const r = reuseDecision(newDecision('hero'), source);
  assert.equal(r.action, 'reuse');
  assert.equal(r.reasonCode, 'reused');
  assert.match(r.reason, /^reused from old: the same request/);
  assert.equal(r.reuse, source);
});

test('the later of two shots with one key in a run copies the first; a shot that only skips produces nothing to wait for', () => {
  const producing = new Map<string, string>();
  const rel = (s: string) => `videos/${s}.mp4`;
  assert.equal(inRunReuse(newDecision('a'), req('a', 'K'), producing, '/o', rel).action, 'submit');
  const b = inRunReuse(newDecision('b'), req('b', 'K'), producing, '/o', rel);
  assert.equal(b.action, 'reuse');
  assert.equal(b.reuse?.inRun, true);
  assert.equal(b.reuse?.from.shot, 'a');
  assert.match(b.reason, /the same request as a\b/);
  const skip: RenderDecision = { shot: 'c', action: 'skip', reasonCode: 'up-to-date', reason: '', attempt: 1 };
  inRunReuse(skip, req('c', 'K2'), producing, '/o', rel);
  assert.equal(inRunReuse(newDecision('d'), req('d', 'K2'), producing, '/o', rel).action, 'submit');
});

test('a new shot whose request differs from a render only by its derived seed says why it renders and which seed reuses the old take', () => {
  const view = foldLedger([runStart('r1', URL_A), ...rendered('r1', 'old', 'K-old', 111)]);
  const sources = ledgerReuseSources(view, { dir: '/o', server: URL_A });
  const renamed = req('new', 'K-new', 222, true);
  const twin = seedOnlyTwin(renamed, sources);
  assert.equal(twin?.from.shot, 'old');
  assert.match(explainNewSeed(newDecision('new'), twin!, renamed).reason, /old has the same request but seed 111; this shot's seed \(222\) is derived from its id.*`seed: 111`/);
  assert.equal(seedOnlyTwin(req('new', 'K-new', 222, false), sources), undefined, 'an explicit seed is a deliberate other take');
  const otherPrompt = { ...renamed, body: { ...renamed.body, input: { prompt: 'b' } } };
  assert.equal(seedOnlyTwin(otherPrompt, sources), undefined);
});

test('a reused record folds into a rendered attempt of its own shot: later records with the shared task id stay with their shot', () => {
  const reused: LedgerRecord = {
    t: 'reused', at: AT, runId: 'r2', shot: 'new', key: 'K', model: 'pixverse/pixverse-v6-t2v', file: 'videos/new.mp4', bytes: 10, sha256: 'sha-old', taskId: 'task-old',
    from: { shot: 'old', record: 'ledger', file: 'videos/old.mp4' },
  };
  const again: LedgerRecord = { t: 'downloaded', at: AT, runId: 'r3', shot: 'new', key: 'K', taskId: 'task-old', file: 'videos/new.mp4', bytes: 11, sha256: 'sha-new', videoUrl: 'https://v2' };
  const view = foldLedger([runStart('r1', URL_A), ...rendered('r1', 'old', 'K'), reused, again]);
  const mine = renderedAttempt(view.shots.get('new'), 'K');
  assert.equal(mine?.reusedFrom?.shot, 'old');
  assert.equal(mine?.download?.sha256, 'sha-new');
  assert.equal(renderedAttempt(view.shots.get('old'), 'K')?.download?.sha256, 'sha-old', "the source's own record is untouched");
  // A reused video is current like any other: skipped while on disk with its sha256.
  const d = decideRender(req('new', 'K'), view.shots.get('new'), { exists: true, sha256: 'sha-new' }, { force: false, retryFailed: false, nowMs: Date.parse(AT), taskRetentionMs: 86_400_000 });
  assert.equal(d.action, 'skip');
});

test('a prompt sweep rendered under positional ids (hero@prompt=1) is explained once: the id scheme changed, and how to keep the take', () => {
  const view = foldLedger([runStart('r1', URL_A), ...rendered('r1', 'hero@seed=1,prompt=1', 'K-old', 111)]);
  const sources = ledgerReuseSources(view, { dir: '/o', server: URL_A });
  const now = req('hero@seed=1,prompt=3f9a1c2b', 'K-new', 222, true);
  const reason = explainNewSeed(newDecision(now.shotId), seedOnlyTwin(now, sources)!, now).reason;
  assert.match(reason, /^sweep ids are now formed from the prompt, not its position in the list \(a one-time change\): hero@seed=1,prompt=1 is now hero@seed=1,prompt=3f9a1c2b; its seed was 111/);
  assert.match(reason, /make it a shot of its own with `seed: 111`/);
  assert.equal(isPositionalPromptId('hero@prompt=1', 'other@prompt=ab'), false);
  assert.equal(isPositionalPromptId('hero@seed=1,prompt=1', 'hero@seed=2,prompt=ab'), false);
  assert.equal(isPositionalPromptId('hero@seed=1', 'hero@seed=2'), false);
});
