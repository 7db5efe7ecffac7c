// upload (getPolicy → OSS POST → oss://) and download (streamed, hashed) against the emulator.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { DashScopeClient } from '../../src/dashscope/client-types.js';
import { clientOn, rejectionOf, startFastEmulator, t2vBody, uniquePrompt, VIDEO_SYNTHESIS, waitForStatus, wanBody } from '../helpers/client-emulator.js';

// A 1x1 PNG: the emulator stores uploads, it does not decode them.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('upload and download (emulator)', () => {
  let emu: RunningEmulator;
  let dir: string;
  before(async () => {
    emu = await startFastEmulator();
    dir = await mkdtemp(path.join(tmpdir(), 'pixverse-client-'));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => emu.resetStats());

  async function succeededVideoUrl(client: DashScopeClient, prompt: string, body = t2vBody(uniquePrompt(prompt))): Promise<string> {
    const r = await client.submit(VIDEO_SYNTHESIS, body);
    const done = await waitForStatus(client, r.taskId, ['SUCCEEDED', 'FAILED']);
    assert.equal(done.output.task_status, 'SUCCEEDED');
    return String(done.output.video_url);
  }

  it('upload gives an oss:// URL that a submit accepts (the client adds the resolve header itself)', async () => {
    const file = path.join(dir, 'first-frame.png');
    await writeFile(file, PNG);
    const now = Date.now();
    const { client } = clientOn(emu, { now: () => now });
    try {
      const up = await client.upload({ path: file }, 'wan2.6-i2v-flash');
      assert.match(up.url, /^oss:\/\/.+\/first-frame\.png$/);
      assert.equal(up.expiresAt.getTime(), now + 48 * 3600_000);
      // No ossResolve option: the client must find the oss:// URL in the body.
      const url = await succeededVideoUrl(client, '', wanBody(up.url, uniquePrompt('the lighthouse at dusk')));
      assert.ok(url.length > 0);
      const s = emu.stats();
      assert.equal(s.requests['getPolicy'], 1);
      assert.equal(s.requests['upload'], 1);
      assert.equal(s.requests['submit'], 1);
    } finally {
      await client.close();
    }
  });

  it('upload under another name uses fileName for the object key', async () => {
    const file = path.join(dir, 'tmp-123');
    await writeFile(file, PNG);
    const { client } = clientOn(emu);
    try {
      const up = await client.upload({ path: file, fileName: 'hero.png' }, 'wan2.6-i2v-flash');
      assert.match(up.url, /\/hero\.png$/);
    } finally {
      await client.close();
    }
  });

  it('downloads the real MP4: sha256 and size are those of the bytes written, content type video/mp4', async () => {
    const { client } = clientOn(emu);
    try {
      const url = await succeededVideoUrl(client, 'a heron');
      const dest = path.join(dir, 'heron.mp4.part');
      const r = await client.download(url, dest);
      const bytes = await readFile(dest);
      assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
      assert.equal(r.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(r.bytes, bytes.length);
      assert.equal(r.contentType, 'video/mp4');
      assert.equal(emu.stats().requests['download'], 1);
    } finally {
      await client.close();
    }
  });

  it('a 500 on download is retried and the file is rewritten from the start', async () => {
    const { client, sleeps } = clientOn(emu);
    try {
      const url = await succeededVideoUrl(client, '[[download-fail:1]] [[download-truncate:1]] an owl');
      const dest = path.join(dir, 'owl.mp4.part');
      const r = await client.download(url, dest);
      assert.equal(sleeps.length, 2);
      assert.equal(emu.stats().requests['download'], 3);
      // The same bytes as a clean download of the same URL: nothing of the failed tries is left.
      const clean = path.join(dir, 'owl-clean.mp4.part');
      await client.download(url, clean);
      const whole = await readFile(clean);
      assert.equal(r.sha256, createHash('sha256').update(whole).digest('hex'));
      assert.deepEqual(await readFile(dest), whole);
    } finally {
      await client.close();
    }
  });

  it('a download that keeps failing with 500 throws (retryable) and leaves no partial file', async () => {
    const { client } = clientOn(emu, { retry: { download: { maxAttempts: 2 } } });
    try {
      const url = await succeededVideoUrl(client, '[[download-fail:5]] a crane');
      const dest = path.join(dir, 'crane.mp4.part');
      const e = await rejectionOf(client.download(url, dest));
      assert.equal(e.operation, 'download');
      assert.equal(e.httpStatus, 500);
      assert.equal(e.errorClass, 'retryable');
      assert.equal(e.attempts, 2);
      assert.equal(emu.stats().requests['download'], 2);
      await assert.rejects(access(dest));
    } finally {
      await client.close();
    }
  });

  it('a truncated body (full Content-Length, half the bytes) is an error, not a short file', async () => {
    const { client } = clientOn(emu, { retry: { download: { maxAttempts: 1 } } });
    try {
      const url = await succeededVideoUrl(client, '[[download-truncate:1]] a swan');
      const dest = path.join(dir, 'swan.mp4.part');
      const e = await rejectionOf(client.download(url, dest));
      assert.equal(e.code, 'TruncatedBody');
      assert.equal(e.errorClass, 'retryable');
      await assert.rejects(access(dest));
    } finally {
      await client.close();
    }
  });

  it('an expired video URL (403) is fatal and not retried', async () => {
    const { client, sleeps } = clientOn(emu);
    try {
      // Wan result URLs live 24 h.
      const url = await succeededVideoUrl(client, '', wanBody('https://example.com/a.png', uniquePrompt('a pier')));
      emu.resetStats();
      emu.advanceClock(25 * 3600_000);
      const e = await rejectionOf(client.download(url, path.join(dir, 'pier.mp4.part')));
      assert.equal(e.httpStatus, 403);
      assert.equal(e.code, 'AccessDenied');
      assert.equal(e.errorClass, 'fatal');
      assert.deepEqual(sleeps, []);
      assert.equal(emu.stats().requests['download'], 1);
    } finally {
      await client.close();
    }
  });

  it('a download whose answer is too slow times out', async () => {
    const { client } = clientOn(emu, { timeouts: { operations: { download: { headersMs: 100 } } }, retry: { download: { maxAttempts: 1 } } });
    try {
      const url = await succeededVideoUrl(client, 'a kite');
      emu.setFaults([{ endpoint: 'download', kind: 'slow', rate: 1, ms: 1500 }]);
      const e = await rejectionOf(client.download(url, path.join(dir, 'kite.mp4.part')));
      assert.equal(e.code, 'HeadersTimeout');
      assert.equal(e.errorClass, 'retryable');
    } finally {
      emu.setFaults([]);
      await client.close();
    }
  });
});
