// Checks shared by report tests: the JSON schema (ajv, draft 2020-12) and a real headless
// browser (Debian's `chromium`) that loads index.html from disk.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const run = promisify(execFile);

/** Validates a report against schemas/report.schema.json; returns ajv's errors as text. */
export async function schemaErrors(report: unknown): Promise<string | undefined> {
  const schema = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'schemas', 'report.schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  if (validate(report)) return undefined;
  return ajv.errorsText(validate.errors, { separator: '\n' });
}

/** Path of a chromium binary on PATH, or undefined. */
export async function findChromium(): Promise<string | undefined> {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const { stdout } = await run('sh', ['-c', `command -v ${name}`]);
      if (stdout.trim()) return stdout.trim();
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

/** True when running in CI (`CI` set to anything but '', 'false' or '0'). */
export function inCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * The chromium binary, or undefined after marking the test skipped with a visible reason. In CI
 * (where .ci/run installs Debian's chromium) a missing browser fails the test instead.
 */
export async function chromiumOrSkip(t: { skip(message?: string): void }): Promise<string | undefined> {
  const chromium = await findChromium();
  if (chromium) return chromium;
  if (inCi()) throw new Error('chromium is not installed but CI is set: .ci/run must apt-get install chromium');
  t.skip('chromium not installed (apt-get install -y --no-install-recommends chromium); the contact sheet was not checked in a browser');
  return undefined;
}

/**
 * Opens `htmlFile` (plus `opts.hash`, e.g. `#all`) from disk in headless chromium and returns the
 * DOM after scripts ran; `opts.window` is the window size (`1280,2400`), chromium's default otherwise.
 */
export async function dumpDom(chromium: string, htmlFile: string, opts: { hash?: string; window?: string } = {}): Promise<string> {
  const profile = await mkdtemp(path.join(tmpdir(), 'pixverse-chromium-'));
  try {
    const { stdout } = await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=5000',
        '--dump-dom',
        ...(opts.window ? [`--window-size=${opts.window}`] : []),
        pathToFileURL(htmlFile).href + (opts.hash ?? ''),
      ],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** A PNG screenshot of `htmlFile` opened from disk, at `window` (`1280,1400`), after scripts ran. */
export async function screenshot(chromium: string, htmlFile: string, window: string): Promise<Buffer> {
  const profile = await mkdtemp(path.join(tmpdir(), 'pixverse-chromium-'));
  try {
    const out = path.join(profile, 'shot.png');
    await run(
      chromium,
      ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--virtual-time-budget=5000', `--window-size=${window}`, `--screenshot=${out}`, pathToFileURL(htmlFile).href],
      { timeout: 60_000 },
    );
    return await readFile(out);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
