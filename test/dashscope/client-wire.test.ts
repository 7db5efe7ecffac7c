// The client against a scripted loopback server: what goes over the wire, and answers the
// emulator does not give (refused connections, HTML error pages, Retry-After dates…).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDashScopeClient, type DashScopeClientOptions } from '../../src/dashscope/client.js';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { closedPort, json, recordingSleep, startLoopback, type LoopbackServer } from '../helpers/client-loopback.js';

const KEY = 'sk-wire-test-0123456789';
const ENDPOINT = '/services/aigc/video-generation/video-synthesis';
const T2V = { model: 'pixverse/pixverse-c1-t2v', input: { prompt: 'a cat' }, parameters: { size: '1280*720', duration: 5 } };
const PENDING = { request_id: 'r-1', output: { task_id: 't-1', task_status: 'PENDING' } };

function clientFor(server: LoopbackServer, extra: Partial<DashScopeClientOptions> = {}) {
  return createDashScopeClient({ baseUrl: `${server.origin}/api/v1`, apiKey: KEY, random: () => 0.5, ...extra });
}

async function rejection(p: Promise<unknown>): Promise<DashScopeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DashScopeError, `expected a DashScopeError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('client on the wire', () => {
  it('submit sends the documented headers and JSON body to base + endpoint', async () => {
    const server = await startLoopback(() => json(200, PENDING));
    const client = clientFor(server, { workspace: 'ws-1' });
    try {
      const r = await client.submit(ENDPOINT, T2V);
      assert.equal(r.taskId, 't-1');
      assert.equal(r.status, 'PENDING');
      assert.equal(r.requestId, 'r-1');
      const req = server.requests[0];
      assert.ok(req);
      assert.equal(req.method, 'POST');
      assert.equal(req.url, `/api/v1${ENDPOINT}`);
      assert.equal(req.headers['authorization'], `Bearer ${KEY}`);
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.headers['x-dashscope-async'], 'enable');
      assert.equal(req.headers['x-dashscope-workspace'], 'ws-1');
      assert.equal(req.headers['x-dashscope-ossresourceresolve'], undefined);
      assert.deepEqual(JSON.parse(req.body.toString('utf8')), T2V);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('sets X-DashScope-OssResourceResolve from an oss:// input or from the option', async () => {
    const server = await startLoopback(() => json(200, PENDING));
    const client = clientFor(server);
    try {
      await client.submit(ENDPOINT, { ...T2V, input: { prompt: 'x', media: [{ type: 'image_url', url: 'oss://dir/a.png' }] } });
      await client.submit(ENDPOINT, T2V, { ossResolve: true });
      await client.submit(ENDPOINT, T2V);
      assert.deepEqual(server.requests.map((r) => r.headers['x-dashscope-ossresourceresolve']), ['enable', 'enable', undefined]);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('reuses one keep-alive connection across calls', async () => {
    const server = await startLoopback(() => json(200, { request_id: 'r', output: { task_id: 't-1', task_status: 'RUNNING' } }));
    const client = clientFor(server);
    try {
      for (let i = 0; i < 10; i++) {
        await client.getTask('t-1');
        // undici returns the socket to its pool one tick after the body ends; a call issued in
        // that same tick opens a second socket. Real polls are seconds apart.
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(server.requests.length, 10);
      assert.equal(server.connections(), 1);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('connection refused is retryable: a submit is retried up to maxAttempts, then thrown', async () => {
    const port = await closedPort();
    const { sleep, calls } = recordingSleep();
    const client = createDashScopeClient({
      baseUrl: `http://127.0.0.1:${port}/api/v1`,
      apiKey: KEY,
      sleep,
      random: () => 0.5,
      retry: { submit: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 60_000, multiplier: 2 } },
    });
    try {
      const e = await rejection(client.submit(ENDPOINT, T2V));
      assert.equal(e.code, 'ConnectionRefused');
      assert.equal(e.errorClass, 'retryable');
      assert.equal(e.operation, 'submit');
      assert.equal(e.httpStatus, undefined);
      assert.equal(e.attempts, 3);
      assert.deepEqual(calls, [50, 100]);
    } finally {
      await client.close();
    }
  });

  it('a non-JSON error page gives code Unknown with the raw text, truncated', async () => {
    const html = `<html><body>${'bad gateway '.repeat(100)}</body></html>`;
    const server = await startLoopback(() => ({ status: 400, headers: { 'content-type': 'text/html' }, body: html }));
    const client = clientFor(server);
    try {
      const e = await rejection(client.getTask('t-1'));
      assert.equal(e.code, 'Unknown');
      assert.equal(e.httpStatus, 400);
      assert.equal(e.errorClass, 'fatal');
      assert.ok(e.message.startsWith('<html><body>bad gateway'));
      assert.ok(e.message.length <= 301, `message of ${e.message.length} chars`);
      assert.equal(server.requests.length, 1);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('getTask retries 502 HTML pages and 200 non-JSON bodies, then succeeds', async () => {
    const ok = json(200, { request_id: 'r', output: { task_id: 't-1', task_status: 'SUCCEEDED', video_url: 'https://x/v.mp4' } });
    const server = await startLoopback((_req, i) =>
      i === 0 ? { status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>502</h1>' } : i === 1 ? { status: 200, body: '{"request_id":"r","outp' } : ok,
    );
    const { sleep, calls } = recordingSleep();
    const seen: string[] = [];
    const client = clientFor(server, { sleep, onRetry: (ev) => seen.push(`${ev.error.code}/${ev.error.httpStatus}`) });
    try {
      const t = await client.getTask('t-1');
      assert.equal(t.raw.output.task_status, 'SUCCEEDED');
      assert.equal(server.requests.length, 3);
      assert.equal(calls.length, 2);
      assert.deepEqual(seen, ['Unknown/502', 'Unknown/200']);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('honours Retry-After given as an HTTP date (against the injected clock)', async () => {
    const now = Date.UTC(2026, 2, 20, 8, 0, 0);
    const server = await startLoopback((_req, i) =>
      i === 0
        ? json(429, { request_id: 'r', code: 'Throttling', message: 'Requests throttling triggered.' }, { 'retry-after': new Date(now + 7_000).toUTCString() })
        : json(200, { request_id: 'r', total: 0, total_page: 0, page_no: 1, page_size: 10, data: [] }),
    );
    const { sleep, calls } = recordingSleep();
    const client = clientFor(server, { sleep, now: () => now });
    try {
      const page = await client.listTasks({});
      assert.equal(page.total, 0);
      assert.equal(calls.length, 1);
      assert.ok((calls[0] ?? 0) >= 7_000, `slept ${calls[0]}`);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('stops retrying when the total time budget is spent', async () => {
    const server = await startLoopback(() => json(503, { request_id: 'r', code: 'ModelUnavailable', message: 'busy' }));
    let clock = 0;
    const calls: number[] = [];
    const client = clientFor(server, {
      now: () => clock,
      random: () => 0.999,
      sleep: async (ms) => {
        calls.push(ms);
        clock += ms;
      },
      retry: { getTask: { maxAttempts: 100, baseDelayMs: 1_000, maxDelayMs: 1_000, maxTotalMs: 3_500, multiplier: 1 } },
    });
    try {
      const e = await rejection(client.getTask('t-1'));
      assert.equal(e.code, 'ModelUnavailable');
      assert.equal(e.errorClass, 'retryable');
      assert.deepEqual(calls, [999, 999, 999]);
      assert.equal(server.requests.length, 4);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('cancel posts to /tasks/{id}/cancel; 400 UnsupportedOperation is fatal and not retried', async () => {
    const server = await startLoopback((req) =>
      req.url.includes('t-ok')
        ? json(200, { request_id: 'r-c' })
        : json(400, { request_id: 'r-u', code: 'UnsupportedOperation', message: 'Failed to cancel the task, please confirm if the task is in PENDING status.' }),
    );
    const client = clientFor(server);
    try {
      assert.deepEqual(await client.cancel('t-ok'), { requestId: 'r-c' });
      const e = await rejection(client.cancel('t-running'));
      assert.equal(e.errorClass, 'fatal');
      assert.equal(e.code, 'UnsupportedOperation');
      assert.equal(e.requestId, 'r-u');
      assert.deepEqual(server.requests.map((r) => `${r.method} ${r.url}`), ['POST /api/v1/tasks/t-ok/cancel', 'POST /api/v1/tasks/t-running/cancel']);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('upload: getPolicy with the key, then a multipart POST without it, fields in order and the file last', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'up-'));
    const file = path.join(dir, 'ref.png');
    await writeFile(file, Buffer.from('PNGDATA'));
    let origin = '';
    const server = await startLoopback((req) => {
      if (req.url.startsWith('/api/v1/uploads')) {
        return json(200, {
          request_id: 'r-p',
          data: {
            policy: 'POLICY', signature: 'SIG', upload_dir: 'dashscope-instant/abc/2026-03-20/xyz',
            upload_host: `${origin}/oss`, expire_in_seconds: 300, max_file_size_mb: 10, capacity_limit_mb: 999,
            oss_access_key_id: 'AKID', x_oss_object_acl: 'private', x_oss_forbid_overwrite: 'true',
          },
        });
      }
      return { status: 200, body: '' };
    });
    origin = server.origin;
    const now = Date.UTC(2026, 2, 20);
    const client = clientFor(server, { now: () => now });
    try {
      const r = await client.upload({ path: file }, 'wan2.6-i2v-flash');
      assert.equal(r.url, 'oss://dashscope-instant/abc/2026-03-20/xyz/ref.png');
      assert.equal(r.expiresAt.getTime(), now + 48 * 3600_000);
      const [policyReq, post] = server.requests;
      assert.ok(policyReq && post);
      const pu = new URL(policyReq.url, server.origin);
      assert.equal(pu.pathname, '/api/v1/uploads');
      assert.equal(pu.searchParams.get('action'), 'getPolicy');
      assert.equal(pu.searchParams.get('model'), 'wan2.6-i2v-flash');
      assert.equal(policyReq.headers['authorization'], `Bearer ${KEY}`);
      assert.equal(post.method, 'POST');
      assert.equal(post.url, '/oss');
      assert.equal(post.headers['authorization'], undefined);
      assert.match(String(post.headers['content-type']), /^multipart\/form-data; boundary=/);
      assert.equal(Number(post.headers['content-length']), post.body.length);
      const text = post.body.toString('utf8');
      const fields = [...text.matchAll(/; name="([^"]+)"(?:; filename="([^"]+)")?\r\n(?:Content-Type: [^\r]+\r\n)?\r\n([^\r]*)\r\n/g)].map((m) => [m[1], m[2] ?? m[3]]);
      assert.deepEqual(fields, [
        ['OSSAccessKeyId', 'AKID'],
        ['Signature', 'SIG'],
        ['policy', 'POLICY'],
        ['key', 'dashscope-instant/abc/2026-03-20/xyz/ref.png'],
        ['x-oss-object-acl', 'private'],
        ['x-oss-forbid-overwrite', 'true'],
        ['success_action_status', '200'],
        ['x-oss-content-type', 'image/png'],
        ['file', 'ref.png'],
      ]);
      assert.ok(text.includes('\r\n\r\nPNGDATA\r\n--'));
    } finally {
      await client.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('upload: an OSS XML error is parsed; a missing local file is fatal before any request', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'up-'));
    const file = path.join(dir, 'ref.png');
    await writeFile(file, Buffer.from('PNGDATA'));
    let origin = '';
    const server = await startLoopback((req) =>
      req.url.startsWith('/api/v1/uploads')
        ? json(200, { request_id: 'r', data: { policy: 'P', signature: 'S', upload_dir: 'd', upload_host: `${origin}/oss`, oss_access_key_id: 'A' } })
        : {
            status: 403,
            headers: { 'content-type': 'application/xml' },
            body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message><RequestId>OSS-1</RequestId></Error>',
          },
    );
    origin = server.origin;
    const client = clientFor(server);
    try {
      const e = await rejection(client.upload({ path: file }, 'wan2.6-i2v-flash'));
      assert.equal(e.operation, 'upload');
      assert.equal(e.code, 'AccessDenied');
      assert.equal(e.message, 'Invalid according to Policy: Policy expired.');
      assert.equal(e.requestId, 'OSS-1');
      assert.equal(e.errorClass, 'fatal');
      assert.equal(server.requests.length, 2);
      const missing = await rejection(client.upload({ path: path.join(dir, 'nope.png') }, 'wan2.6-i2v-flash'));
      assert.equal(missing.code, 'InvalidInput');
      assert.equal(missing.errorClass, 'fatal');
      assert.equal(server.requests.length, 2);
    } finally {
      await client.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('download refuses a non-video content type (fatal, no retry, no file left)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dl-'));
    const server = await startLoopback(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>login</html>' }));
    const client = clientFor(server);
    const dest = path.join(dir, 'v.mp4.part');
    try {
      const e = await rejection(client.download(`${server.origin}/v.mp4?Expires=1&Signature=secret`, dest));
      assert.equal(e.code, 'UnexpectedContentType');
      assert.equal(e.errorClass, 'fatal');
      assert.equal(server.requests.length, 1);
      assert.ok(!e.message.includes('Signature'), e.message);
      await assert.rejects(access(dest));
    } finally {
      await client.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('download accepts application/octet-stream and hashes what it wrote', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dl-'));
    const payload = Buffer.alloc(200_000, 7);
    const server = await startLoopback(() => ({ status: 200, headers: { 'content-type': 'application/octet-stream' }, body: payload }));
    const client = clientFor(server);
    const dest = path.join(dir, 'v.mp4.part');
    try {
      const r = await client.download(`${server.origin}/v.mp4`, dest);
      assert.equal(r.bytes, payload.length);
      const { createHash } = await import('node:crypto');
      assert.equal(r.sha256, createHash('sha256').update(payload).digest('hex'));
      assert.deepEqual(await readFile(dest), payload);
      assert.equal(server.requests[0]?.headers['authorization'], undefined);
    } finally {
      await client.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an already-aborted signal stops a submit before anything is sent', async () => {
    const server = await startLoopback(() => json(200, PENDING));
    const client = clientFor(server);
    try {
      const ac = new AbortController();
      ac.abort();
      const e = await rejection(client.submit(ENDPOINT, T2V, { signal: ac.signal }));
      assert.equal(e.code, 'Aborted');
      assert.equal(e.errorClass, 'retryable');
      assert.equal(server.requests.length, 0);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('listTasks rejects a window over 24 h without calling the server', async () => {
    const server = await startLoopback(() => json(200, {}));
    const client = clientFor(server);
    try {
      const e = await rejection(client.listTasks({ startTime: new Date(0), endTime: new Date(25 * 3600_000) }));
      assert.equal(e.errorClass, 'fatal');
      assert.equal(server.requests.length, 0);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
