// Which failures stop a whole run (account-level refusals, an unreachable server) and which stay
// one shot's own: table-driven over the protocol spec's error table (§4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountRefusal, isUnreachable, stopFor } from '../../src/core/task/run-stop.js';

const ctx = { host: 'dashscope.aliyuncs.com', region: 'cn-beijing', workspace: 'ws-a1' };

test('account-level refusals stop the run and name the likely cause; a request\'s own 4xx does not', () => {
  const cases: [number, string, RegExp | undefined][] = [
    [401, 'InvalidApiKey', /API key is refused by dashscope\.aliyuncs\.com \(cn-beijing, workspace ws-a1\).*another region/],
    [403, 'AccessDenied', /not activated .* workspace or region/],
    [403, 'AccessDenied.Unpurchased', /not activated/],
    [403, 'Model.AccessDenied', /not activated/],
    [404, 'ModelNotFound', /not activated/],
    [403, 'Workspace.AccessDenied', /no access to workspace ws-a1/],
    [403, 'AllocationQuota.FreeTierOnly', /free tier only/],
    [400, 'Arrearage', /cannot be billed \(Arrearage\)/],
    [429, 'CommodityNotPurchased', /cannot be billed/],
    [429, 'PrepaidBillOverdue', /cannot be billed/],
    [429, 'PostpaidBillOverdue', /cannot be billed/],
    [400, 'InvalidParameter', undefined],
    [400, 'DataInspectionFailed', undefined],
    [400, 'InvalidURL', undefined],
    [429, 'Throttling.RateQuota', undefined],
    [500, 'InternalError', undefined],
  ];
  for (const [httpStatus, code, cause] of cases) {
    const stop = accountRefusal({ operation: 'submit', httpStatus, code, message: 'm' }, ctx);
    if (!cause) assert.equal(stop, undefined, code);
    else {
      assert.equal(stop?.kind, 'account', code);
      assert.match(stop!.cause, cause, code);
      assert.ok(stop!.hint.length > 0);
    }
  }
  // The same codes from a task query stop the run too; from an OSS upload or a video download they
  // are about that URL (an expired policy or link), not the account.
  assert.equal(accountRefusal({ operation: 'listTasks', httpStatus: 401, code: 'InvalidApiKey', message: 'm' }, ctx)?.kind, 'account');
  assert.equal(accountRefusal({ operation: 'download', httpStatus: 403, code: 'AccessDenied', message: 'm' }, ctx), undefined);
  assert.equal(accountRefusal({ operation: 'upload', httpStatus: 403, code: 'AccessDenied', message: 'Policy expired' }, ctx), undefined);
});

test('a request that reached no server is "unreachable" (API calls only); one that got an answer or was reset is not', () => {
  for (const code of ['ConnectionRefused', 'HostNotFound', 'NetworkUnreachable', 'ConnectTimeout']) {
    assert.ok(isUnreachable({ operation: 'submit', code, message: 'm' }), code);
    const stop = stopFor({ operation: 'getPolicy', code, message: 'm' }, ctx);
    assert.equal(stop?.kind, 'unreachable');
    assert.match(stop!.cause, /^cannot reach dashscope\.aliyuncs\.com: /);
  }
  assert.equal(isUnreachable({ operation: 'submit', code: 'ConnectionReset', message: 'm' }), false);
  assert.equal(isUnreachable({ operation: 'download', code: 'ConnectionRefused', message: 'm' }), false);
  assert.equal(isUnreachable({ operation: 'submit', code: 'ConnectionRefused', httpStatus: 502, message: 'm' }), false);
});
