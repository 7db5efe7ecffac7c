import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import { budgetExceeded, costOfRenders, decideRender, diffBodies } from '../../src/core/plan/render-decision.js';
import type { RenderDecisionOptions } from '../../src/core/plan/render-decision.js';
import { parseSelectors, selectShots } from '../../src/core/plan/render-decision-select.js';
import type { PlannedRequest } from '../../src/core/types.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const opts: RenderDecisionOptions = { force: false, retryFailed: false, nowMs: NOW, taskRetentionMs: 24 * 3600_000 };

function req(over: Partial<PlannedRequest> = {}, params: Record<string, unknown> = { size: '1280*720', duration: 5 }): PlannedRequest {
  return {
    shotId: 'hero',
    model: 'pixverse/pixverse-v6-t2v',
    endpoint: '/services/aigc/video-generation/video-synthesis',
    body: { model: 'pixverse/pixverse-v6-t2v', input: { prompt: 'a' }, parameters: params },
    localMedia: [],
    key: 'K1',
    tier: '720P',
    billableSeconds: 5,
    pinned: [],
    seedDerived: false,
    ...over,
  };
}

const at = (minAgo: number): string => new Date(NOW - minAgo * 60_000).toISOString();
const intent = (key: string, minAgo: number, body = req().body): LedgerRecord => ({
  t: 'intent', at: at(minAgo), runId: 'r1', shot: 'hero', key, model: 'pixverse/pixverse-v6-t2v', endpoint: '/x', attempt: 1, reason: 'new', body, mediaSha256: {},
});
const submitted = (key: string, minAgo: number, taskId = 't1'): LedgerRecord => ({ t: 'submitted', at: at(minAgo), runId: 'r1', shot: 'hero', key, taskId, requestId: 'q' });
const state = (key: string, status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED', extra: object = {}): LedgerRecord =>
  ({ t: 'state', at: at(1), runId: 'r1', shot: 'hero', key, taskId: 't1', status, ...extra }) as LedgerRecord;
const downloaded = (key: string): LedgerRecord => ({
  t: 'downloaded', at: at(1), runId: 'r1', shot: 'hero', key, taskId: 't1', file: 'videos/hero.mp4', bytes: 10, sha256: 'H', videoUrl: 'http://v',
});
const decide = (records: LedgerRecord[], r = req(), disk?: { exists: boolean; sha256?: string }, o = opts) =>
  decideRender(r, foldLedger(records).shots.get('hero'), disk, o);

test('render decisions: new, up to date, video missing or altered, forced', () => {
  assert.equal(decide([]).action, 'submit');
  assert.equal(decide([]).reasonCode, 'new');
  const done = [intent('K1', 10), submitted('K1', 10), state('K1', 'SUCCEEDED'), downloaded('K1')];
  assert.equal(decide(done, req(), { exists: true, sha256: 'H' }).action, 'skip');
  const missing = decide(done, req(), { exists: false });
  assert.deepEqual([missing.action, missing.reasonCode], ['download', 'video-missing']);
  assert.equal(decide(done, req(), { exists: true, sha256: 'other' }).reasonCode, 'video-differs');
  const forced = decide(done, req(), { exists: true, sha256: 'H' }, { ...opts, force: true });
  assert.deepEqual([forced.action, forced.reasonCode, forced.attempt], ['submit', 'forced', 2]);
  // The video was paid for: missing, with its task expired and no URL, it is held — never billed
  // again by itself; --retry-failed (or --force) renders it deliberately.
  const old = [intent('K1', 3000), submitted('K1', 3000), state('K1', 'SUCCEEDED'), { ...(downloaded('K1') as object), videoUrl: '' } as LedgerRecord];
  const held = decide(old, req(), { exists: false });
  assert.deepEqual([held.action, held.reasonCode], ['hold', 'video-missing']);
  assert.match(held.reason, /task has expired.*--retry-failed or --force renders it again \(billed\)/);
  assert.equal(decide(old, req(), { exists: false }, { ...opts, retryFailed: true }).action, 'submit');
  // A re-download that already failed (dead URL, task gone) is not tried forever, nor billed by itself.
  const deadUrl = [...done, { t: 'download-failed', at: at(0), runId: 'r2', shot: 'hero', key: 'K1', taskId: 't1', message: '403' } as LedgerRecord];
  assert.deepEqual([decide(deadUrl, req(), { exists: false }).action, decide(deadUrl, req(), { exists: false }).reasonCode], ['hold', 'video-missing']);
  assert.equal(decide(deadUrl, req(), { exists: false }, { ...opts, retryFailed: true }).action, 'submit');
  // While the video can still be fetched, it is downloaded again (free), held only if that fails.
  const refetch = decide(done, req(), { exists: false });
  assert.equal(refetch.action, 'download');
  assert.ok(refetch.ifLost);
});

test('render decisions: changed fields and changed media are named', () => {
  const prior = [intent('K0', 10), submitted('K0', 10), state('K0', 'SUCCEEDED'), downloaded('K0')];
  const d = decide(prior, req({}, { size: '720*1280', duration: 5 }));
  assert.deepEqual([d.action, d.reasonCode, d.reason], ['submit', 'changed', 'changed: parameters.size']);
  const media = req({ localMedia: [{ bodyPointer: '/input/img_url', absPath: '/a.png', manifestPath: 'a.png', sha256: 'new', bytes: 1 }] });
  const withMedia: LedgerRecord[] = [{ ...intent('K0', 10), mediaSha256: { 'a.png': 'old' } } as LedgerRecord];
  const m = decide(withMedia, media);
  assert.deepEqual([m.reasonCode, m.changedMedia], ['media-changed', ['a.png']]);
  assert.deepEqual(diffBodies({ model: 'm', input: { a: [1, 2] }, parameters: {} }, { model: 'm', input: { a: [1, 3] }, parameters: { x: 1 } }), ['input.a.1', 'parameters.x']);
});

test('render decisions: live tasks re-attach, open intents reconcile, failures hold unless asked', () => {
  assert.equal(decide([intent('K1', 5), submitted('K1', 5), state('K1', 'RUNNING')]).action, 'reattach');
  assert.equal(decide([intent('K1', 5), submitted('K1', 5)], req(), undefined, { ...opts, force: true }).action, 'reattach');
  assert.equal(decide([intent('K1', 5)]).action, 'reconcile');
  assert.equal(decide([intent('K1', 5), { t: 'submit-uncertain', at: at(5), runId: 'r1', shot: 'hero', key: 'K1', code: 'Reset', message: '' }]).action, 'reconcile');
  assert.equal(decide([intent('K1', 5), submitted('K1', 5), state('K1', 'SUCCEEDED', { videoUrl: 'u' })]).action, 'download');
  const failed = [intent('K1', 5), submitted('K1', 5), state('K1', 'FAILED', { code: 'DataInspectionFailed', message: 'no' })];
  const held = decide(failed);
  assert.equal(held.action, 'hold');
  assert.match(held.reason, /DataInspectionFailed/);
  const retried = decide(failed, req(), undefined, { ...opts, retryFailed: true });
  assert.deepEqual([retried.action, retried.reasonCode, retried.attempt], ['submit', 'failed-before', 2]);
  const rejected = (httpStatus: number, code: string): LedgerRecord[] => [intent('K1', 5), { t: 'submit-rejected', at: at(5), runId: 'r1', shot: 'hero', key: 'K1', httpStatus, code, message: 'm' }];
  assert.equal(decide(rejected(400, 'InvalidParameter')).action, 'hold');
  assert.equal(decide(rejected(429, 'Throttling.RateQuota')).action, 'submit');
  // Refusals of the account (ledgers from before they stopped the run) are not the request's fault.
  for (const [status, code] of [[401, 'InvalidApiKey'], [403, 'AccessDenied'], [403, 'Workspace.AccessDenied'], [404, 'ModelNotFound'], [400, 'Arrearage'], [429, 'PrepaidBillOverdue']] as const) {
    assert.equal(decide(rejected(status, code)).action, 'submit', code);
  }
  const stopped: LedgerRecord[] = [intent('K1', 5), { t: 'submit-rejected', at: at(5), runId: 'r1', shot: 'hero', key: 'K1', httpStatus: 401, code: 'InvalidApiKey', message: 'm', stop: 'account' }];
  assert.deepEqual([decide(stopped).action, decide(stopped).reasonCode], ['submit', 'not-created']);
  assert.equal(decide([intent('K1', 5), { t: 'submit-rejected', at: at(5), runId: 'r1', shot: 'hero', key: 'K1', code: 'Interrupted', message: 'm' }]).action, 'submit');
  const elsewhere = { ...opts, foreignRunIds: new Set(['r1']) };
  assert.equal(decide([intent('K1', 5), submitted('K1', 5), state('K1', 'RUNNING')], req(), undefined, elsewhere).reasonCode, 'other-server');
  assert.equal(decide([intent('K1', 5)], req(), undefined, elsewhere).action, 'submit');
  assert.equal(decide([intent('K1', 5), { t: 'reconciled', at: at(5), runId: 'r1', shot: 'hero', key: 'K1', taskId: null }]).reasonCode, 'not-created');
});

test('cost counts only what will be submitted; the budget refuses above its cap', () => {
  const a = req();
  const b = req({ shotId: 'b', billableSeconds: 10, tier: '1080P', estimatedCost: 2 });
  const decisions = [decide([]), { ...decide([]), shot: 'b' }];
  const cost = costOfRenders([{ ...a, estimatedCost: 1 }, b], decisions);
  assert.deepEqual([cost.shots, cost.billableSeconds, cost.secondsByTier, cost.estimatedCost], [2, 15, { '720P': 5, '1080P': 10 }, 3]);
  assert.equal(costOfRenders([a], [{ ...decide([]), action: 'skip' }]).billableSeconds, 0);
  assert.match(budgetExceeded(cost, { maxSeconds: 10 })!, /15 s/);
  assert.equal(budgetExceeded(cost, { maxSeconds: 15, maxCost: 3 }), undefined);
  assert.match(budgetExceeded(cost, { maxCost: 2.5 })!, /cost/);
});

test('--only selects ids and globs on expanded ids and reports unmatched selectors', () => {
  const ids = ['hero@seed=1,size=720*1280', 'hero@seed=2,size=720*1280', 'wide', 'wider'];
  const sel = (v: string[]) => selectShots(ids, (x) => x, parseSelectors(v, new Set(ids)));
  assert.deepEqual(sel(['hero@*']).selected, ids.slice(0, 2));
  assert.deepEqual(sel(['wide,hero@seed=2*']).selected, [ids[1], 'wide']);
  assert.deepEqual(sel(['hero@seed=1,size=720*1280']).selected, [ids[0]]);
  assert.deepEqual(sel(['wid?']).selected, ['wide']);
  assert.deepEqual(sel(['nope', 'wide']).unmatched, ['nope']);
  assert.deepEqual(sel([]).selected, ids);
});

test('a succeeded task whose download failed is downloaded again while queryable, then held until --retry-failed', () => {
  const failedDl = (minAgo: number): LedgerRecord[] => [
    intent('K1', minAgo),
    submitted('K1', minAgo),
    state('K1', 'SUCCEEDED', { videoUrl: 'http://v' }),
    { t: 'download-failed', at: at(0), runId: 'r1', shot: 'hero', key: 'K1', taskId: 't1', message: 'DownloadFailed: 403' } as LedgerRecord,
  ];
  // Queryable (< 24 h): the URL is refreshed from the task; never a new submit.
  assert.deepEqual([decide(failedDl(60)).action, decide(failedDl(60)).reasonCode], ['download', 'succeeded-not-downloaded']);
  // Expired: the video is lost server-side; rendering again bills again, so only when asked.
  const held = decide(failedDl(25 * 60));
  assert.deepEqual([held.action, held.reasonCode], ['hold', 'video-missing']);
  assert.match(held.reason, /--retry-failed/);
  const retried = decide(failedDl(25 * 60), req(), undefined, { ...opts, retryFailed: true });
  assert.deepEqual([retried.action, retried.attempt], ['submit', 2]);
  // Without a download failure an old succeeded task is still tried (its URL may outlive it).
  assert.equal(decide(failedDl(25 * 60).slice(0, 3)).action, 'download');
});

test('costs carry the configured currency into the budget message', () => {
  const a = req({ shotId: 'hero', estimatedCost: 7.95 });
  const cost = costOfRenders([a], [{ ...decide([]), shot: 'hero' }], 'CNY');
  assert.equal(cost.currency, 'CNY');
  assert.match(budgetExceeded(cost, { maxCost: 5 })!, /about 7\.95 CNY .*budget of 5\.00 CNY/);
  assert.equal(costOfRenders([a], [{ ...decide([]), shot: 'hero' }]).currency, undefined);
});

test('renders adopted from the lock file: skip when on disk, download when missing, hold once lost; never an automatic resubmit', () => {
  const adopted = (extra: Partial<{ taskId: string; videoUrl: string }> = { taskId: 'T0' }): LedgerRecord => ({
    t: 'adopted', at: at(0), runId: 'r9', shot: 'hero', key: 'K1', model: 'pixverse/pixverse-v6-t2v', file: 'videos/hero.mp4', bytes: 10, sha256: 'H', source: 'lock', ...extra,
  });
  const lockOpts = { ...opts, lockName: 'x.lock.yaml' };
  const a = foldLedger([adopted()]).shots.get('hero')!.attempts[0]!;
  assert.deepEqual([a.adopted, a.outcome, a.status, a.taskId, a.download?.sha256, a.download?.videoUrl], [true, 'submitted', 'SUCCEEDED', 'T0', 'H', '']);

  const skip = decide([adopted()], req(), { exists: true, sha256: 'H' }, lockOpts);
  assert.deepEqual([skip.action, skip.reasonCode, skip.reason], ['skip', 'up-to-date', 'unchanged; videos/hero.mp4 matches x.lock.yaml']);
  const dl = decide([adopted()], req(), { exists: false }, lockOpts);
  assert.deepEqual([dl.action, dl.reasonCode, dl.prior?.taskId], ['download', 'video-missing', 'T0']);
  assert.match(dl.reason, /recorded in x\.lock\.yaml \(task T0\).*no new render/);
  assert.equal(dl.ifLost, 'recorded in x.lock.yaml as rendered (task T0) but the video is not on disk and can no longer be fetched');
  assert.equal(decide([adopted()], req(), { exists: true, sha256: 'other' }, lockOpts).reasonCode, 'video-differs');
  // Submit time unknown: a URL-less adopted render is still fetched (GET of the task is free).
  assert.equal(decide([adopted()], req(), { exists: false }, { ...lockOpts, nowMs: NOW + 10 * 24 * 3600_000 }).action, 'download');

  // The fetch failed (task expired, URL dead): held, not rendered again by itself.
  const lost = [adopted(), { t: 'download-failed', at: at(0), runId: 'r9', shot: 'hero', key: 'K1', taskId: 'T0', message: 'task T0 is UNKNOWN' } as LedgerRecord];
  const held = decide(lost, req(), { exists: false }, lockOpts);
  assert.deepEqual([held.action, held.reasonCode], ['hold', 'video-missing']);
  assert.match(held.reason, /^recorded in x\.lock\.yaml as rendered \(task T0\) but the video is not on disk and can no longer be fetched \(task T0 is UNKNOWN\); .*--force renders it again \(billed\)$/);
  const retried = decide(lost, req(), { exists: false }, { ...lockOpts, retryFailed: true });
  assert.deepEqual([retried.action, retried.attempt], ['submit', 2]);
  const forced = decide(lost, req(), { exists: false }, { ...lockOpts, force: true });
  assert.deepEqual([forced.action, forced.reasonCode, forced.attempt], ['submit', 'forced', 2]);
  // Neither a task id nor a stable URL: nothing to fetch with, held at once.
  assert.equal(decide([adopted({})], req(), { exists: false }, lockOpts).action, 'hold');
  assert.equal(decide([adopted({ videoUrl: 'https://cdn/x.mp4' })], req(), { exists: false }, lockOpts).action, 'download');
  // A later successful download clears the loss: the shot is up to date again.
  const back = [...lost, { t: 'downloaded', at: at(0), runId: 'r10', shot: 'hero', key: 'K1', taskId: 'T0', file: 'videos/hero.mp4', bytes: 10, sha256: 'H', videoUrl: 'http://v' } as LedgerRecord];
  assert.equal(decide(back, req(), { exists: true, sha256: 'H' }, lockOpts).action, 'skip');
});

test('a lock entry for another key names the change; one that cannot be adopted is held, not billed', () => {
  const entry = { id: 'hero', key: 'K0', model: 'pixverse/pixverse-v6-t2v', seed: 3, task_id: 'T0', file: 'videos/hero.mp4', bytes: 10, sha256: 'H' };
  const seeded = req({}, { size: '1280*720', duration: 5, seed: 4 });
  const changed = decideRender(seeded, undefined, undefined, { ...opts, lockName: 'x.lock.yaml' }, entry);
  assert.deepEqual([changed.action, changed.reasonCode, changed.reason, changed.changedFields], ['submit', 'changed', 'changed since the render recorded in x.lock.yaml: parameters.seed', ['parameters.seed']]);
  // The ledger knows the shot: it wins over the lock.
  const known = decideRender(req(), foldLedger([intent('K1', 5), submitted('K1', 5), state('K1', 'RUNNING')]).shots.get('hero'), undefined, opts, entry);
  assert.equal(known.action, 'reattach');
  const sameKey = { ...entry, key: 'K1', bytes: undefined };
  assert.equal(decideRender(req(), undefined, undefined, opts, sameKey).action, 'hold');
  assert.equal(decideRender(req(), undefined, undefined, { ...opts, force: true }, sameKey).action, 'submit');
});
