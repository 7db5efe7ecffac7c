#!/usr/bin/env node
// The `pixverse` command: picks a subcommand, runs it, and turns its outcome into an exit code.
// This file is the only place that calls process.exit; commands return their exit code.
import { closest } from '../core/catalog/suggest.js';
import { UserError } from '../core/errors.js';
import { EXIT, exitCodeForUserError } from './exit-codes.js';
import type { CommandIo } from './command-io.js';

type CommandModule = { run(argv: string[], io: CommandIo): Promise<number> };

// Loaded lazily so `pixverse validate` never pays for the HTTP client or the emulator, and
// `pixverse <command> --help` loads only the command's help text (src/cli/usage/).
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule>; help: () => Promise<string> }> = {
  init: {
    summary: 'write a starter manifest with the editor-schema modeline',
    load: () => import('./commands/init.js'),
    help: async () => (await import('./usage/init.js')).USAGE,
  },
  validate: {
    summary: 'check manifests and report every issue',
    load: () => import('./commands/validate.js'),
    help: async () => (await import('./usage/validate.js')).USAGE,
  },
  plan: {
    summary: 'show the exact requests a run would send (no network)',
    load: () => import('./commands/plan.js'),
    help: async () => (await import('./usage/plan.js')).USAGE,
  },
  run: {
    summary: 'render the shots of a manifest',
    load: () => import('./commands/run.js'),
    help: async () => (await import('./usage/run.js')).USAGE,
  },
  status: {
    summary: 'show per-shot render state from the ledger',
    load: () => import('./commands/status.js'),
    help: async () => (await import('./usage/status.js')).USAGE,
  },
  pull: {
    summary: 'fetch the current videos from the object store (submits nothing)',
    load: async () => (await import('./commands/store-commands.js')).pull,
    help: async () => (await import('./usage/store.js')).USAGE.pull,
  },
  push: {
    summary: 'upload videos on disk that the object store does not have yet',
    load: async () => (await import('./commands/store-commands.js')).push,
    help: async () => (await import('./usage/store.js')).USAGE.push,
  },
  report: {
    summary: 'regenerate report.json, report.md and index.html from the ledger',
    load: () => import('./commands/report.js'),
    help: async () => (await import('./usage/report.js')).USAGE,
  },
  animatic: {
    summary: 'join the current videos into one film, in manifest order (ffmpeg)',
    load: () => import('./commands/animatic.js'),
    help: async () => (await import('./usage/animatic.js')).USAGE,
  },
  emulator: {
    summary: 'start a local DashScope-compatible server',
    load: () => import('./commands/emulator.js'),
    help: async () => (await import('./usage/emulator.js')).HELP,
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    'Usage: pixverse <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options for every command:',
    '  -q, --quiet   print nothing on stdout; problems still go to stderr and the exit code says how it went',
    '  -h, --help    show the command\'s options',
    '  --version     print the version of pixverse',
    '',
    'Run `pixverse <command> --help` for its options.',
  ].join('\n');
}

/** The arguments before `--` (what follows it is positional, never a flag). */
function flagsOf(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end < 0 ? argv : argv.slice(0, end);
}

/**
 * Writes lines to stdout or stderr, and never lets the terminal stop the program: once the
 * stream fails (EPIPE when `| head` has closed the pipe, EIO from a terminal that hung up) the
 * lines are dropped. A run goes on to finish its shots, ledger and reports, and exits with its
 * usual code. The error listener also covers what listr2 writes to stdout itself.
 */
function lineWriter(stream: NodeJS.WriteStream): (s: string) => void {
  let open = true;
  stream.on('error', () => {
    open = false;
  });
  return (s) => {
    if (!open) return;
    try {
      stream.write(s.endsWith('\n') ? s : s + '\n');
    } catch {
      open = false;
    }
  };
}

async function main(argv: string[]): Promise<number> {
  const flags = flagsOf(argv);
  // --quiet applies to every command: stdout is dropped, stderr and the exit code stay.
  const quiet = flags.includes('--quiet') || flags.includes('-q');
  const json = flags.includes('--json');
  const err = lineWriter(process.stderr);
  const io: CommandIo = {
    out: quiet ? () => undefined : lineWriter(process.stdout),
    err,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    ...(quiet ? { quiet } : {}),
  };
  const [name, ...given] = argv.filter((a, i) => !(i < flags.length && (a === '--quiet' || a === '-q')));
  if (!name) {
    io.err(usage());
    return EXIT.invalidInput;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = given[0] !== undefined ? COMMANDS[given[0]] : undefined;
    if (topic) {
      io.out(await topic.help());
      return EXIT.ok;
    }
    io.out(usage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v' || name === '-V') {
    const { TOOL_VERSION } = await import('../version.js');
    io.out(TOOL_VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    const suggestion = name.startsWith('-') ? undefined : closest(name, Object.keys(COMMANDS));
    const what = name.startsWith('-') ? `unknown option '${name}' before the command` : `unknown command '${name}'`;
    io.err(`pixverse: ${what}${suggestion ? `\n  hint: did you mean 'pixverse ${suggestion}'?` : ''}\n\n${usage()}`);
    return EXIT.invalidInput;
  }
  // What the command's own parser would do with -h/--help, without loading the command.
  if (flagsOf(given).some((a) => a === '--help' || a === '-h')) {
    io.out(await command.help());
    return EXIT.ok;
  }
  try {
    if (quiet && json) throw new UserError('invalid-input', 'usage', '--quiet and --json exclude each other', 'use --json for output a program reads, --quiet for none');
    return await (await command.load()).run(given, io);
  } catch (error) {
    if (error instanceof UserError) {
      const code = exitCodeForUserError(error.kind);
      // With --json a program reads the output: the error is one JSON line on stderr too.
      if (json) err(JSON.stringify({ type: 'error', command: name, kind: error.kind, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), exitCode: code }));
      else err(`pixverse ${name}: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}`);
      return code;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user error: keep the stack, it is what a bug report needs.
    process.stderr.write(`pixverse: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
