// `npm test`: runs every `*.test.ts` under test/, at any depth, through node's test runner.
// The list comes from the sources, not from dist/: a test file deleted or moved in test/ leaves
// its old compiled copy behind in dist/, which must not run. Node 20 expands no globs itself, and
// given no file it would search the whole directory, so the files are listed here, and finding
// none is an error (CI also checks that some test passed). Arguments are passed on to node
// (`npm test -- --test-name-pattern=lock`).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const distTest = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(distTest, '..', '..');
const sourceTest = path.join(root, 'test');

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const files = testFiles(sourceTest)
  .map((file) => path.join(distTest, path.relative(sourceTest, file)).replace(/\.ts$/, '.js'))
  .sort();
if (files.length === 0) {
  process.stderr.write(`run-all: no *.test.ts under ${sourceTest}\n`);
  process.exitCode = 1;
} else {
  const child = spawn(process.execPath, ['--test', ...process.argv.slice(2), ...files], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}
