// The temporary-upload flow: getPolicy → multipart POST → oss:// on submit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { HOUR, authHeaders, getTask, origin, submit, submitHeaders } from '../helpers/emulator-http.js';

const FROZEN = 1000;
const IT2V = 'pixverse/pixverse-c1-it2v';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

interface Policy {
  policy: string;
  signature: string;
  upload_dir: string;
  upload_host: string;
  expire_in_seconds: number;
  max_file_size_mb: number;
  capacity_limit_mb: number;
  oss_access_key_id: string;
  x_oss_object_acl: string;
  x_oss_forbid_overwrite: string;
}

async function getPolicy(emu: RunningEmulator, model: string): Promise<Policy> {
  const res = await fetch(`${emu.baseUrl}/uploads?action=getPolicy&model=${encodeURIComponent(model)}`, { headers: authHeaders(emu) });
  assert.equal(res.status, 200);
  const json = (await res.json()) as { request_id: string; data: Policy };
  assert.ok(json.request_id);
  return json.data;
}

/** The form the official SDK sends, in its order (file last). */
function uploadForm(p: Policy, name: string, opts: { fileFirst?: boolean; omit?: string } = {}): FormData {
  const form = new FormData();
  const file = new Blob([PNG], { type: 'image/png' });
  if (opts.fileFirst) form.append('file', file, name);
  const fields: Array<[string, string]> = [
    ['OSSAccessKeyId', p.oss_access_key_id],
    ['Signature', p.signature],
    ['policy', p.policy],
    ['key', `${p.upload_dir}/${name}`],
    ['x-oss-object-acl', p.x_oss_object_acl],
    ['x-oss-forbid-overwrite', p.x_oss_forbid_overwrite],
    ['success_action_status', '200'],
    ['x-oss-content-type', 'image/png'],
  ];
  for (const [k, v] of fields) if (k !== opts.omit) form.append(k, v);
  if (!opts.fileFirst) form.append('file', file, name);
  return form;
}

async function upload(p: Policy, form: FormData): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(p.upload_host, { method: 'POST', body: form });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

function it2vBody(url: string, model = IT2V): Record<string, unknown> {
  return { model, input: { media: [{ type: 'image_url', url }] }, parameters: { resolution: '720P', duration: 5 } };
}

const OSS = { 'X-DashScope-OssResourceResolve': 'enable' };

describe('emulator uploads', () => {
  it('hands out a policy, stores the upload, and accepts the oss:// URL with the resolve header', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      const p = await getPolicy(emu, IT2V);
      assert.equal(p.upload_host, `${origin(emu)}/__oss`);
      assert.equal(p.expire_in_seconds, 300);
      assert.equal(p.x_oss_object_acl, 'private');
      assert.equal(p.x_oss_forbid_overwrite, 'true');
      assert.match(p.upload_dir, /^dashscope-instant\//);
      const up = await upload(p, uploadForm(p, 'frame.png'));
      assert.equal(up.status, 200);
      const url = `oss://${p.upload_dir}/frame.png`;

      const r = await submit(emu, it2vBody(url), { headers: submitHeaders(emu, OSS) });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      emu.advanceClock(HOUR);
      assert.equal((await getTask(emu, r.json.output.task_id)).json.output.task_status, 'SUCCEEDED');

      const noHeader = await submit(emu, it2vBody(url));
      assert.equal(noHeader.status, 400);
      assert.equal(noHeader.json.code, 'InvalidParameter.DataInspection');

      const otherModel = await submit(emu, it2vBody(url, 'pixverse/pixverse-v6-it2v'), { headers: submitHeaders(emu, OSS) });
      assert.equal(otherModel.status, 400);
      assert.match(otherModel.json.message, /uploaded for model pixverse\/pixverse-c1-it2v/);

      const notIssued = await submit(emu, it2vBody(`oss://${p.upload_dir}/other.png`), { headers: submitHeaders(emu, OSS) });
      assert.equal(notIssued.status, 400);
      assert.match(notIssued.json.message, /does not exist/);

      emu.advanceClock(48 * HOUR);
      const expired = await submit(emu, it2vBody(url), { headers: submitHeaders(emu, OSS) });
      assert.equal(expired.status, 400);
      assert.match(expired.json.message, /expired/);

      const stats = emu.stats();
      assert.equal(stats.requests.getPolicy, 1);
      assert.equal(stats.requests.upload, 1);
    } finally {
      await emu.close();
    }
  });

  it('refuses an expired policy (403 AccessDenied), a file that is not last, a missing field and an overwrite', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      const p = await getPolicy(emu, IT2V);
      const notLast = await upload(p, uploadForm(p, 'a.png', { fileFirst: true }));
      assert.equal(notLast.status, 400);
      assert.match(notLast.json.message, /last field/);
      const missing = await upload(p, uploadForm(p, 'a.png', { omit: 'Signature' }));
      assert.equal(missing.status, 400);
      assert.match(missing.json.message, /Signature/);
      const forged = uploadForm(p, 'a.png');
      forged.set('Signature', 'AAAA');
      // set() moves nothing: re-append the file so it stays last.
      const reordered = new FormData();
      for (const [k, v] of forged.entries()) if (k !== 'file') reordered.append(k, v);
      reordered.append('file', new Blob([PNG]), 'a.png');
      assert.equal((await upload(p, reordered)).status, 403);

      assert.equal((await upload(p, uploadForm(p, 'a.png'))).status, 200);
      assert.equal((await upload(p, uploadForm(p, 'a.png'))).status, 409, 'x-oss-forbid-overwrite');

      emu.advanceClock(301_000);
      const late = await upload(p, uploadForm(p, 'b.png'));
      assert.equal(late.status, 403);
      assert.equal(late.json.code, 'AccessDenied');
      assert.match(late.json.message, /Policy expired/);
    } finally {
      await emu.close();
    }
  });

  it('checks getPolicy parameters and the key', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      const base = `${emu.baseUrl}/uploads`;
      assert.equal((await fetch(`${base}?action=getPolicy&model=${encodeURIComponent(IT2V)}`)).status, 401);
      assert.equal((await fetch(`${base}?action=getPolicy`, { headers: authHeaders(emu) })).status, 400);
      assert.equal((await fetch(`${base}?action=getPolicy&model=nope`, { headers: authHeaders(emu) })).status, 404);
    } finally {
      await emu.close();
    }
  });
});
