import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DashScopeError, formatDashScopeError, translateNetworkError } from '../../src/dashscope/errors.js';
import { containsOssUrl } from '../../src/dashscope/client.js';
import { buildMultipart, guessMimeType } from '../../src/dashscope/multipart.js';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('formatDashScopeError', () => {
  it('code: message (HTTP status, request_id …)', () => {
    const e = new DashScopeError({
      operation: 'submit',
      errorClass: 'fatal',
      code: 'InvalidParameter',
      message: 'The size is not match xxx',
      httpStatus: 400,
      requestId: 'req-1',
    });
    assert.equal(formatDashScopeError(e), 'InvalidParameter: The size is not match xxx (HTTP 400, request_id req-1)');
  });
  it('names the operation when there was no response', () => {
    const e = new DashScopeError({ operation: 'getTask', errorClass: 'retryable', code: 'ConnectionReset', message: 'other side closed' });
    assert.equal(formatDashScopeError(e), 'ConnectionReset: other side closed (getTask, no response)');
  });
  it('toJSON is a plain record of the fields', () => {
    const e = new DashScopeError({ operation: 'submit', errorClass: 'retryable', code: 'Throttling', message: 'm', httpStatus: 429, retryAfterMs: 1000 });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), {
      name: 'DashScopeError',
      operation: 'submit',
      errorClass: 'retryable',
      code: 'Throttling',
      message: 'm',
      httpStatus: 429,
      retryAfterMs: 1000,
      attempts: 1,
    });
  });
});

describe('translateNetworkError', () => {
  const err = (code: string): Error => Object.assign(new Error(`boom ${code}`), { code });
  it('connection refused is before sending; resets and unknown errors are after', () => {
    assert.deepEqual(translateNetworkError(err('ECONNREFUSED'), { aborted: false }).cause, { kind: 'network', stage: 'before-send' });
    assert.deepEqual(translateNetworkError(err('ENOTFOUND'), { aborted: false }).cause, { kind: 'network', stage: 'before-send' });
    assert.deepEqual(translateNetworkError(err('ECONNRESET'), { aborted: false }).cause, { kind: 'network', stage: 'after-send' });
    assert.deepEqual(translateNetworkError(err('UND_ERR_SOCKET'), { aborted: false }).cause, { kind: 'network', stage: 'after-send' });
    assert.deepEqual(translateNetworkError(new Error('weird'), { aborted: false }).cause, { kind: 'network', stage: 'after-send' });
  });
  it('happy-eyeballs AggregateError is read through', () => {
    const agg = new AggregateError([err('ECONNREFUSED'), err('ECONNREFUSED')], 'connect failed');
    assert.equal(translateNetworkError(agg, { aborted: false }).code, 'ConnectionRefused');
  });
  it('undici timeouts map to their stage; a broken body stream is truncation', () => {
    assert.deepEqual(translateNetworkError(err('UND_ERR_CONNECT_TIMEOUT'), { aborted: false }).cause, { kind: 'timeout', stage: 'connect' });
    assert.deepEqual(translateNetworkError(err('UND_ERR_HEADERS_TIMEOUT'), { aborted: false }).cause, { kind: 'timeout', stage: 'headers' });
    assert.deepEqual(translateNetworkError(err('UND_ERR_BODY_TIMEOUT'), { aborted: false }).cause, { kind: 'timeout', stage: 'body' });
    assert.deepEqual(translateNetworkError(err('UND_ERR_SOCKET'), { aborted: false, bodyStarted: true }).cause, { kind: 'truncated' });
  });
  it('an aborted signal wins', () => {
    assert.equal(translateNetworkError(err('UND_ERR_SOCKET'), { aborted: true }).code, 'Aborted');
  });
});

describe('containsOssUrl', () => {
  it('finds oss:// anywhere in the body', () => {
    assert.equal(containsOssUrl({ model: 'm', input: { media: [{ type: 'image_url', url: 'oss://dir/a.png' }] }, parameters: {} }), true);
    assert.equal(containsOssUrl({ model: 'm', input: { img_url: 'oss://x' }, parameters: {} }), true);
    assert.equal(containsOssUrl({ model: 'm', input: { prompt: 'see oss://x', img_url: 'https://a/b.png' }, parameters: {} }), false);
  });
});

describe('buildMultipart', () => {
  it('keeps the field order, puts the file last, and its Content-Length is exact', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mp-'));
    try {
      const f = path.join(dir, 'a.png');
      await writeFile(f, Buffer.from([1, 2, 3, 4, 5]));
      const mp = buildMultipart([['OSSAccessKeyId', 'id'], ['policy', 'p'], ['key', 'dir/a.png']], {
        field: 'file', fileName: 'a.png', contentType: 'image/png', path: f, size: 5,
      });
      const chunks: Buffer[] = [];
      for await (const c of mp.stream()) chunks.push(Buffer.from(c));
      const all = Buffer.concat(chunks);
      assert.equal(all.length, mp.contentLength);
      const text = all.toString('latin1');
      const names = [...text.matchAll(/(?<!file)name="([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(names, ['OSSAccessKeyId', 'policy', 'key', 'file']);
      assert.ok(text.includes('\x01\x02\x03\x04\x05\r\n--'));
      // A second stream re-reads the file (for retries).
      let again = 0;
      for await (const c of mp.stream()) again += c.length;
      assert.equal(again, mp.contentLength);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('guesses the MIME type by extension', () => {
    assert.equal(guessMimeType('x.PNG'), 'image/png');
    assert.equal(guessMimeType('x.jpeg'), 'image/jpeg');
    assert.equal(guessMimeType('x'), 'application/octet-stream');
  });
});
