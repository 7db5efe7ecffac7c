// `pixverse emulator`, run in-process with a stop signal the test controls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/commands/emulator.js';
import type { CommandIo } from '../../src/cli/command-io.js';

function captureIo(): { io: CommandIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s), env: {}, cwd: process.cwd(), isTTY: false }, out, err };
}

describe('pixverse emulator command', () => {
  it('prints help', async () => {
    const { io, out } = captureIo();
    assert.equal(await run(['--help'], io), 0);
    assert.match(out.join('\n'), /--time-scale/);
  });

  it('rejects bad flags with exit code 2', async () => {
    for (const argv of [['--port', 'x'], ['--time-scale', '0'], ['--faults', 'nope'], ['--bogus']]) {
      const { io, err } = captureIo();
      assert.equal(await run(argv, io), 2, argv.join(' '));
      assert.ok(err.length > 0);
    }
  });

  it('starts, prints the base URL and key, serves requests and stops cleanly on the signal', async () => {
    const { io, out } = captureIo();
    let stop!: (signal: string) => void;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const exit = run(['--time-scale', '0.01', '--seed', '3', '--api-key', 'sk-cli-test', '--faults', 'getTask:503@0'], io, {
      waitForStop: async () => {
        const text = out.join('\n');
        const base = /base URL: (\S+)/.exec(text)?.[1];
        assert.ok(base, text);
        assert.match(text, /API key: {2}sk-cli-test/);
        const res = await fetch(`${base}/tasks/none`, { headers: { Authorization: 'Bearer sk-cli-test' } });
        assert.equal(res.status, 200);
        setImmediate(() => stop('SIGTERM'));
        return stopped;
      },
    });
    assert.equal(await exit, 0);
    assert.match(out.join('\n'), /emulator stopped \(SIGTERM\)/);
  });
});
