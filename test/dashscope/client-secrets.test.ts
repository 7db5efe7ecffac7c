// The API key never leaves the client except in the Authorization header of API calls.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { createDashScopeClient } from '../../src/dashscope/client.js';
import { DashScopeError, formatDashScopeError } from '../../src/dashscope/errors.js';
import { closedPort, json, startLoopback } from '../helpers/client-loopback.js';
import { clientOn, rejectionOf, startFastEmulator, t2vBody, uniquePrompt, VIDEO_SYNTHESIS } from '../helpers/client-emulator.js';

const SECRET = 'sk-TOPSECRET-9f8e7d6c5b4a';

/** Every way an error could be shown or stored. */
function renderings(e: DashScopeError): string[] {
  return [e.message, String(e), e.stack ?? '', JSON.stringify(e), formatDashScopeError(e), inspect(e, { depth: 10 }), inspect(e.cause, { depth: 10 })];
}

function assertNoSecret(texts: string[], secret: string): void {
  for (const t of texts) assert.ok(!t.includes(secret), `leaked the key in: ${t.slice(0, 200)}`);
}

describe('no API key leakage', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startFastEmulator({ apiKey: SECRET });
  });
  after(async () => {
    await emu.close();
  });

  it('the client object does not show the key', async () => {
    const client = createDashScopeClient({ baseUrl: emu.baseUrl, apiKey: SECRET, workspace: 'ws' });
    try {
      assertNoSecret([String(client), JSON.stringify(client), inspect(client, { depth: 10, showHidden: true })], SECRET);
    } finally {
      await client.close();
    }
  });

  it('errors from a wrong key do not contain that key', async () => {
    const wrong = 'sk-WRONG-0a1b2c3d4e5f';
    const { client } = clientOn(emu, { apiKey: wrong });
    try {
      const e = await rejectionOf(client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt('a fox'))));
      assert.equal(e.code, 'InvalidApiKey');
      assertNoSecret(renderings(e), wrong);
    } finally {
      await client.close();
    }
  });

  it('the key put into failing requests (model name, prompt) does not come back in errors or retry events', async () => {
    const { client, retries } = clientOn(emu);
    try {
      const e1 = await rejectionOf(client.submit(VIDEO_SYNTHESIS, { ...t2vBody('x'), model: SECRET }));
      const e2 = await rejectionOf(client.submit(VIDEO_SYNTHESIS, t2vBody(`${SECRET} [[submit-500:1]] ${uniquePrompt('a fox')}`)));
      const e3 = await rejectionOf(client.submit(VIDEO_SYNTHESIS, t2vBody(`${SECRET} ${uniquePrompt('a fox')}`, { duration: 99 })));
      for (const e of [e1, e2, e3]) assertNoSecret(renderings(e), SECRET);
      assertNoSecret([JSON.stringify(retries.map((r) => r.error))], SECRET);
    } finally {
      await client.close();
    }
  });

  it('a server that echoes the key in its error message is redacted', async () => {
    const server = await startLoopback(() =>
      json(400, { request_id: 'r', code: 'InvalidParameter', message: `bad header Authorization: Bearer ${SECRET}` }),
    );
    const client = createDashScopeClient({ baseUrl: `${server.origin}/api/v1`, apiKey: SECRET });
    try {
      const e = await rejectionOf(client.getTask('t'));
      assertNoSecret(renderings(e), SECRET);
      assert.match(e.message, /\[redacted\]/);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('network failures do not contain the key either', async () => {
    const port = await closedPort();
    const client = createDashScopeClient({
      baseUrl: `http://127.0.0.1:${port}/api/v1`,
      apiKey: SECRET,
      sleep: async () => undefined,
      retry: { getTask: { maxAttempts: 1 } },
    });
    try {
      const e = await rejectionOf(client.getTask('t'));
      assert.equal(e.code, 'ConnectionRefused');
      assertNoSecret(renderings(e), SECRET);
    } finally {
      await client.close();
    }
  });

  it('a malformed key is refused without echoing it', () => {
    const bad = 'sk-with space\r\nX-Injected: 1';
    assert.throws(
      () => createDashScopeClient({ apiKey: bad }),
      (e: unknown) => e instanceof TypeError && !e.message.includes('sk-with'),
    );
  });
});
