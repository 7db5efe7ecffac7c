// Spawns the built `pixverse` binary (from this dist directory) and follows its --json events.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../src/engine/events.js';

// The built CLI entry (dist-<name>/src/cli/main.js), beside this compiled helper.
export const CLI_MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: RunEvent[];
}

export interface CliRunOptions {
  cwd: string;
  env?: Record<string, string>;
  /**
   * Called for every JSON event; return a signal to send it to the process (once), or several
   * to send them in a row (e.g. Ctrl-C twice): each next one as soon as the process answers the
   * previous on stderr (no fixed delay: a loaded machine could let the run end in between).
   */
  onEvent?: (e: RunEvent) => NodeJS.Signals | NodeJS.Signals[] | undefined;
}

export function runCli(args: string[], opts: CliRunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: opts.cwd, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let buffered = '';
    let signalled = false;
    const nextSignals: NodeJS.Signals[] = [];
    const events: RunEvent[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        let e: RunEvent;
        try {
          e = JSON.parse(line) as RunEvent;
        } catch {
          continue;
        }
        events.push(e);
        const sig = opts.onEvent?.(e);
        if (sig && !signalled) {
          signalled = true;
          const [first, ...rest] = Array.isArray(sig) ? sig : [sig];
          nextSignals.push(...rest);
          child.kill(first);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const next = nextSignals.shift();
      if (next && child.exitCode === null && child.signalCode === null) child.kill(next);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, events }));
  });
}
