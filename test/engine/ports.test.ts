// The engine reads a store failure's code without naming the store adapter: only a StoreError's
// code reaches the ledger; any other error (a disk error with its own errno code) is `Error`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../../src/store/object-store.js';
import { storeErrorCode } from '../../src/engine/ports.js';

test('storeErrorCode: the code of a StoreError, Error for anything else', () => {
  assert.equal(storeErrorCode(new StoreError('credentials', 'AccessDenied', 'denied', 403)), 'AccessDenied');
  assert.equal(storeErrorCode(Object.assign(new Error('no such file'), { code: 'ENOENT' })), 'Error');
  assert.equal(storeErrorCode('boom'), 'Error');
  assert.equal(storeErrorCode(null), 'Error');
});
