// `pixverse emulator`, run in-process with a stop signal the test controls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/commands/emulator.js';
import type { CommandIo } from '../../src/cli/command-io.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FAULT_ENDPOINTS, FAULT_KINDS, MARKER_HELP } from '../../src/emulator/index.js';
import { parseMarkers } from '../../src/emulator/markers.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { UserError } from '../../src/core/errors.js';
import { exitCodeForUserError } from '../../src/cli/exit-codes.js';

function captureIo(): { io: CommandIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s), env: {}, cwd: process.cwd(), isTTY: false }, out, err };
}

describe('pixverse emulator command', () => {
  it('prints help with every flag, fault endpoint and kind, and every marker', async () => {
    const { io, out } = captureIo();
    assert.equal(await run(['--help'], io), 0);
    const help = out.join('\n');
    for (const flag of ['--port', '--host', '--time-scale', '--seed', '--api-key', '--faults', '--disputed', '--unknown-keys', '--prompt-visible', '--help']) assert.ok(help.includes(flag), flag);
    for (const name of [...FAULT_ENDPOINTS, ...FAULT_KINDS]) assert.ok(help.includes(name), name);
    const readme = readFileSync(path.join(PACKAGE_ROOT, 'src', 'emulator', 'README.md'), 'utf8');
    for (const [syntax] of MARKER_HELP) {
      assert.ok(help.includes(syntax), syntax);
      // Each documented marker is one the emulator acts on, written as in the README.
      assert.notDeepEqual(parseMarkers(syntax.replace(/:[A-Z]+\]\]$/, ':2]]').replace('CODE', 'InternalError')), {}, syntax);
      assert.ok(readme.includes(syntax.replace(/:(N|MS|CODE|ID)\]\]/, '')), `README lacks ${syntax}`);
    }
    assert.equal(MARKER_HELP.length, 15);
  });

  it('rejects bad flags as usage errors (exit 2), each with a hint', async () => {
    for (const argv of [['--port', 'x'], ['--time-scale', '0'], ['--faults', 'nope'], ['--bogus'], ['--disputed', 'loose'], ['--unknown-keys', 'drop'], ['--prompt-visible', 'pending'], ['extra']]) {
      const { io } = captureIo();
      await assert.rejects(run(argv, io), (e: unknown) => e instanceof UserError && exitCodeForUserError(e.kind) === 2 && e.code === 'usage' && Boolean(e.hint), argv.join(' '));
    }
  });

  it('starts, prints the base URL and key, serves requests and stops cleanly on the signal', async () => {
    const { io, out } = captureIo();
    let stop!: (signal: string) => void;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const exit = run(['--time-scale', '0.01', '--seed', '3', '--api-key', 'sk-cli-test', '--faults', 'getTask:503@0', '--disputed', 'lenient', '--unknown-keys', 'ignore', '--prompt-visible', 'running'], io, {
      waitForStop: async () => {
        const text = out.join('\n');
        const base = /base URL: (\S+)/.exec(text)?.[1];
        assert.ok(base, text);
        assert.match(text, /API key: {2}sk-cli-test/);
        assert.match(text, /disputed rules lenient, unknown keys ignore, prompt visible once running/);
        const res = await fetch(`${base}/tasks/none`, { headers: { Authorization: 'Bearer sk-cli-test' } });
        assert.equal(res.status, 200);
        // Both flags reach the server: a disputed 1080P with an unknown key creates a task.
        const submitted = await fetch(`${base}/services/aigc/video-generation/video-synthesis`, {
          method: 'POST',
          headers: { Authorization: 'Bearer sk-cli-test', 'Content-Type': 'application/json', 'X-DashScope-Async': 'enable' },
          body: JSON.stringify({
            model: 'pixverse/pixverse-v5.6-it2v',
            input: { media: [{ type: 'image_url', url: 'https://example.com/a.png' }], typo_key: 1 },
            parameters: { resolution: '1080P', duration: 5 },
          }),
        });
        assert.equal(submitted.status, 200, await submitted.clone().text());
        setImmediate(() => stop('SIGTERM'));
        return stopped;
      },
    });
    assert.equal(await exit, 0);
    assert.match(out.join('\n'), /emulator stopped \(SIGTERM\)/);
  });
});
