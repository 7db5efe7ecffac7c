// `pixverse init` writes a manifest outside this repo whose modeline works, and the real
// yaml-language-server (as editors run it) flags, through the schema, a size or a duration the
// chosen model does not take — and nothing in the starter manifest.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { runCli } from '../helpers/run-cli.js';
import { startYamlLanguageServer, type YamlLanguageServer } from '../helpers/yaml-lsp.js';

describe('pixverse init and the editor schema', () => {
  let lsp: YamlLanguageServer;
  const dirs: string[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-init-'));
    dirs.push(dir);
    return dir;
  };
  before(async () => {
    lsp = await startYamlLanguageServer();
  });
  after(async () => {
    await lsp.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes a valid starter manifest, refuses to overwrite it without --force, and the editor finds no problem in it', async () => {
    const dir = await tempDir();
    const r = await runCli(['init'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const file = path.join(dir, 'jobs', 'shots.yaml');
    const text = await readFile(file, 'utf8');
    // No project install: this installation's schema, by absolute path.
    assert.equal(text.split('\n')[0], `# yaml-language-server: $schema=${path.join(PACKAGE_ROOT, 'schemas', 'manifest.schema.json')}`);
    assert.match(r.stdout, /npm install -D pixverse-batch/);
    const v = await runCli(['validate', 'jobs/shots.yaml'], { cwd: dir });
    assert.deepEqual([v.code, v.stdout.trim()], [0, 'jobs/shots.yaml: 2 shots, valid'], v.stderr);
    assert.deepEqual(await lsp.diagnose(file, text), []);

    const again = await runCli(['init'], { cwd: dir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /jobs\/shots\.yaml exists; nothing was written\n {2}hint: .*--force/);
    await writeFile(file, 'changed');
    assert.equal((await runCli(['init', '--force'], { cwd: dir })).code, 0);
    assert.equal(await readFile(file, 'utf8'), text);
  });

  it('in a project with the package installed, the modeline is relative to node_modules and the editor flags each model rule at its line', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'node_modules'));
    await symlink(PACKAGE_ROOT, path.join(dir, 'node_modules', 'pixverse-batch'), 'dir');
    const r = await runCli(['init', 'renders/ad.yaml'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const file = path.join(dir, 'renders', 'ad.yaml');
    const text = await readFile(file, 'utf8');
    assert.equal(text.split('\n')[0], '# yaml-language-server: $schema=../node_modules/pixverse-batch/schemas/manifest.schema.json');
    assert.match(text, /^name: ad\b/m);
    assert.deepEqual(await lsp.diagnose(file, text), []);

    // v5.6 t2v: its own size table, durations 5/8/10 (5/8 at 1080P), no shot_type.
    const lines = text.split('\n');
    const edit = (pattern: RegExp, replacement: string) => {
      const i = lines.findIndex((l) => pattern.test(l));
      assert.ok(i >= 0, String(pattern));
      lines[i] = replacement;
      return i;
    };
    edit(/^ {4}model:/, '    model: pixverse/pixverse-v5.6-t2v');
    const sizeLine = edit(/^ {4}size:/, '    size: 1000*1000');
    const durationLine = edit(/^ {4}duration:/, '    duration: 4');
    lines.push('  - id: big', '    model: pixverse/pixverse-v5.6-t2v', '    prompt: A storm at sea.', '    size: 1920*1080', '    duration: 10', '    shot_type: multi');
    const diagnostics = await lsp.diagnose(file, lines.join('\n'));
    const at = (line: number) => diagnostics.filter((d) => d.range.start.line === line && d.severity === 1).map((d) => d.message).join(' | ');
    assert.match(at(sizeLine), /Valid values: .*"1280\*960"/, JSON.stringify(diagnostics));
    assert.match(at(durationLine), /Valid values: 5, 8, 10/);
    assert.match(at(lines.length - 2), /Valid values: 5, 8\b/, '1080P on v5.6: 5 or 8 s');
    assert.match(at(lines.length - 1), /not allowed/i, 'v5.6 has no shot_type');
    assert.equal(diagnostics.length, 4, JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.message])));
  });
});
