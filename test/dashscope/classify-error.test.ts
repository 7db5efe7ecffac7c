import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyError,
  DASHSCOPE_OPERATIONS,
  DOCUMENTED_ERROR_CODES,
  isTransientTaskFailure,
  type DashScopeOperation,
  type ErrorClass,
  type FailureCause,
} from '../../src/core/task/classify-error.js';

// [code, HTTP status, class on submit, class on a GET (getTask/listTasks)] for every code of spec §4.
const TABLE: ReadonlyArray<readonly [string, number, ErrorClass, ErrorClass]> = [
  ['InvalidParameter', 400, 'fatal', 'fatal'],
  ['DataInspectionFailed', 400, 'fatal', 'fatal'],
  ['data_inspection_failed', 400, 'fatal', 'fatal'],
  ['IPInfringementSuspect', 400, 'fatal', 'fatal'],
  ['Arrearage', 400, 'fatal', 'fatal'],
  ['InvalidURL', 400, 'fatal', 'fatal'],
  ['InvalidURL.Timeout', 400, 'fatal', 'fatal'],
  ['BadRequest.InputDownloadFailed', 400, 'fatal', 'fatal'],
  ['InvalidParameter.DataInspection', 400, 'fatal', 'fatal'],
  ['BadRequest.EmptyInput', 400, 'fatal', 'fatal'],
  ['BadRequest.EmptyParameters', 400, 'fatal', 'fatal'],
  ['BadRequest.EmptyModel', 400, 'fatal', 'fatal'],
  ['UnsupportedOperation', 400, 'fatal', 'fatal'],
  ['InvalidApiKey', 401, 'fatal', 'fatal'],
  ['AccessDenied', 403, 'fatal', 'fatal'],
  ['AccessDenied.Unpurchased', 403, 'fatal', 'fatal'],
  ['Model.AccessDenied', 403, 'fatal', 'fatal'],
  ['Workspace.AccessDenied', 403, 'fatal', 'fatal'],
  ['AllocationQuota.FreeTierOnly', 403, 'fatal', 'fatal'],
  ['ModelNotFound', 404, 'fatal', 'fatal'],
  ['Throttling', 429, 'retryable', 'retryable'],
  ['Throttling.RateQuota', 429, 'retryable', 'retryable'],
  ['LimitRequests', 429, 'retryable', 'retryable'],
  ['Throttling.BurstRate', 429, 'retryable', 'retryable'],
  ['limit_burst_rate', 429, 'retryable', 'retryable'],
  ['Throttling.AllocationQuota', 429, 'retryable', 'retryable'],
  ['insufficient_quota', 429, 'retryable', 'retryable'],
  ['CommodityNotPurchased', 429, 'fatal', 'fatal'],
  ['PrepaidBillOverdue', 429, 'fatal', 'fatal'],
  ['PostpaidBillOverdue', 429, 'fatal', 'fatal'],
  ['InternalError', 500, 'uncertain', 'retryable'],
  ['InternalError.Algo', 500, 'uncertain', 'retryable'],
  ['SystemError', 500, 'uncertain', 'retryable'],
  ['ModelServiceFailed', 500, 'uncertain', 'retryable'],
  ['InternalError.Timeout', 500, 'uncertain', 'retryable'],
  ['RequestTimeOut', 500, 'uncertain', 'retryable'],
  ['ModelUnavailable', 503, 'uncertain', 'retryable'],
  ['ModelServingError', 503, 'uncertain', 'retryable'],
];

describe('classifyError: documented codes (spec §4)', () => {
  it('the table covers exactly the documented codes, with their statuses', () => {
    assert.deepEqual(new Set(TABLE.map(([c]) => c)), new Set(Object.keys(DOCUMENTED_ERROR_CODES)));
    for (const [code, status] of TABLE) assert.equal(DOCUMENTED_ERROR_CODES[code]?.httpStatus, status, code);
  });

  for (const [code, status, onSubmit, onGet] of TABLE) {
    it(`${status} ${code}: submit → ${onSubmit}, GETs → ${onGet}`, () => {
      const cause: FailureCause = { kind: 'http', httpStatus: status, code };
      assert.equal(classifyError('submit', cause), onSubmit);
      assert.equal(classifyError('getTask', cause), onGet);
      assert.equal(classifyError('listTasks', cause), onGet);
      assert.equal(classifyError('getPolicy', cause), onGet);
    });
  }

  it('unknown codes fall back to the status: 429 retryable, other 4xx fatal, 5xx by operation', () => {
    assert.equal(classifyError('submit', { kind: 'http', httpStatus: 429, code: 'Unknown' }), 'retryable');
    assert.equal(classifyError('submit', { kind: 'http', httpStatus: 418, code: 'Unknown' }), 'fatal');
    assert.equal(classifyError('submit', { kind: 'http', httpStatus: 502, code: 'Unknown' }), 'uncertain');
    assert.equal(classifyError('getTask', { kind: 'http', httpStatus: 504, code: 'Unknown' }), 'retryable');
    assert.equal(classifyError('getTask', { kind: 'http', httpStatus: 404, code: 'Unknown' }), 'fatal');
  });

  it('cancel: 400 UnsupportedOperation (task not PENDING) is fatal; 429/5xx are retryable', () => {
    assert.equal(classifyError('cancel', { kind: 'http', httpStatus: 400, code: 'UnsupportedOperation' }), 'fatal');
    assert.equal(classifyError('cancel', { kind: 'http', httpStatus: 429, code: 'Throttling' }), 'retryable');
    assert.equal(classifyError('cancel', { kind: 'http', httpStatus: 500, code: 'InternalError' }), 'retryable');
  });

  it('download: an expired URL (403) is fatal, a 500 is retryable', () => {
    assert.equal(classifyError('download', { kind: 'http', httpStatus: 403, code: 'AccessDenied' }), 'fatal');
    assert.equal(classifyError('download', { kind: 'http', httpStatus: 500, code: 'Unknown' }), 'retryable');
  });
});

describe('classifyError: failures without a usable answer', () => {
  // [cause, class on submit, class on every other operation]
  const CASES: ReadonlyArray<readonly [string, FailureCause, ErrorClass, ErrorClass]> = [
    ['refused before sending', { kind: 'network', stage: 'before-send' }, 'retryable', 'retryable'],
    ['reset after sending', { kind: 'network', stage: 'after-send' }, 'uncertain', 'retryable'],
    ['connect timeout', { kind: 'timeout', stage: 'connect' }, 'retryable', 'retryable'],
    ['headers timeout', { kind: 'timeout', stage: 'headers' }, 'uncertain', 'retryable'],
    ['body timeout', { kind: 'timeout', stage: 'body' }, 'uncertain', 'retryable'],
    ['malformed 200', { kind: 'malformed', httpStatus: 200 }, 'uncertain', 'retryable'],
    ['truncated body', { kind: 'truncated' }, 'uncertain', 'retryable'],
    ['unexpected content', { kind: 'unexpected-content' }, 'fatal', 'fatal'],
    ['aborted before sending', { kind: 'aborted', sent: false }, 'retryable', 'retryable'],
    ['aborted in flight', { kind: 'aborted', sent: true }, 'uncertain', 'retryable'],
  ];
  for (const [name, cause, onSubmit, onOthers] of CASES) {
    it(`${name}: submit → ${onSubmit}, others → ${onOthers}`, () => {
      for (const op of DASHSCOPE_OPERATIONS) {
        const want = op === 'submit' ? onSubmit : onOthers;
        assert.equal(classifyError(op as DashScopeOperation, cause), want, op);
      }
    });
  }
});

describe('isTransientTaskFailure', () => {
  it('internal errors and input-download hiccups may succeed on resubmission', () => {
    for (const c of ['InternalError', 'InternalError.Algo', 'SystemError', 'ModelServiceFailed', 'InternalError.Timeout', 'InvalidURL.Timeout', 'BadRequest.InputDownloadFailed']) {
      assert.equal(isTransientTaskFailure(c), true, c);
    }
  });
  it('moderation, parameter problems and unknown codes do not', () => {
    for (const c of ['DataInspectionFailed', 'IPInfringementSuspect', 'InvalidParameter', 'Arrearage', 'SomethingNew', undefined]) {
      assert.equal(isTransientTaskFailure(c), false, String(c));
    }
  });
});
