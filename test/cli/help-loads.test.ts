// `pixverse <command> --help` loads only the command's help text: a module-load hook records
// every file the built CLI loads, and nothing of the engine, the app, the HTTP client, the
// emulator's server or any npm package may be among them. The text is the command's own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { CLI_MAIN } from '../helpers/run-cli.js';

const COMMANDS = ['init', 'validate', 'plan', 'run', 'status', 'pull', 'push', 'report', 'animatic', 'emulator'];

function hookFiles(): { register: string; log: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'help-loads-'));
  const hooks = path.join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    "import { appendFileSync } from 'node:fs';\n" +
      'export async function load(url, context, next) {\n' +
      "  if (url.startsWith('file:')) appendFileSync(process.env.LOADED_LOG, url + '\\n');\n" +
      '  return next(url, context);\n' +
      '}\n',
  );
  const register = path.join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return { register, log: path.join(dir, 'loaded.log') };
}

test('every command prints its help without loading the modules it runs with', () => {
  const { register, log } = hookFiles();
  const dist = path.dirname(path.dirname(CLI_MAIN)); // dist/src
  for (const command of COMMANDS) {
    writeFileSync(log, '');
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, CLI_MAIN, command, '--help'], { encoding: 'utf8', env: { ...process.env, LOADED_LOG: log } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Usage: pixverse ${command}\\b`));
    const loaded = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((u) => path.relative(dist, new URL(u).pathname));
    assert.ok(loaded.includes(path.join('cli', 'main.js')), `the hook saw the CLI load (${loaded.join(', ')})`);
    const heavy = loaded.filter((f) => f.startsWith('..') || /^(app|engine|dashscope|io|store|config)\//.test(f) || f.startsWith(path.join('cli', 'commands')) || f === path.join('emulator', 'server.js'));
    assert.deepEqual(heavy, [], `${command} --help loaded ${heavy.join(', ')}`);
  }
});

test('the help printed early is the one the command itself prints', async () => {
  const out: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s), env: {}, cwd: process.cwd(), isTTY: false };
  const { run } = await import('../../src/cli/commands/run.js');
  assert.equal(await run(['--help'], io), 0);
  const cli = spawnSync(process.execPath, [CLI_MAIN, 'run', '-h'], { encoding: 'utf8' });
  assert.equal(cli.stdout.trimEnd(), out.join('\n').trimEnd());
});

test('`pixverse help <command>` prints the same help, also without loading the command', () => {
  for (const command of ['run', 'emulator']) {
    const a = spawnSync(process.execPath, [CLI_MAIN, 'help', command], { encoding: 'utf8' });
    const b = spawnSync(process.execPath, [CLI_MAIN, command, '--help'], { encoding: 'utf8' });
    assert.equal(a.status, 0);
    assert.equal(a.stdout, b.stdout);
  }
});
