// `pixverse emulator`: runs the local DashScope-compatible server until SIGINT/SIGTERM.
import { closest } from '../../core/catalog/suggest.js';
import { UserError } from '../../core/errors.js';
import { parseCommandArgs } from '../args.js';
import type { CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { parseFaultList, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';
import { HELP } from '../usage/emulator.js';

export interface EmulatorCommandDeps {
  /** Resolves when the process is asked to stop; injectable for tests. */
  waitForStop(): Promise<string>;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function run(argv: string[], io: CommandIo, deps: EmulatorCommandDeps = { waitForStop: waitForSignal }): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'time-scale': { type: 'string' },
      seed: { type: 'string' },
      'api-key': { type: 'string' },
      faults: { type: 'string' },
      disputed: { type: 'string' },
      'unknown-keys': { type: 'string' },
      'prompt-visible': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'emulator',
  );
  if (values.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usage(`emulator takes no arguments, got '${positionals[0]}'`, 'pixverse emulator --port 8080');
  const opts: EmulatorOptions = {};
  if (values.port !== undefined) opts.port = intFlag('--port', values.port, 0, 65535);
  if (values.host !== undefined) opts.host = values.host;
  if (values['time-scale'] !== undefined) {
    const scale = Number(values['time-scale']);
    if (!(scale > 0) || !Number.isFinite(scale)) throw usage(`--time-scale must be a positive number, got "${values['time-scale']}"`, 'e.g. --time-scale 0.01');
    opts.timeScale = scale;
  }
  if (values.seed !== undefined) opts.seed = intFlag('--seed', values.seed, 0, 2 ** 31 - 1);
  if (values['api-key'] !== undefined) opts.apiKey = values['api-key'];
  if (values.faults !== undefined) {
    try {
      opts.faults = parseFaultList(values.faults);
    } catch (error) {
      throw usage(`--faults: ${(error as Error).message}`, 'endpoint:kind[=ms]@rate joined by commas, e.g. "submit:429@0.1" (pixverse emulator --help)');
    }
  }
  if (values.disputed !== undefined) opts.disputedRules = choiceFlag('--disputed', values.disputed, ['strict', 'lenient'] as const);
  if (values['unknown-keys'] !== undefined) opts.unknownKeys = choiceFlag('--unknown-keys', values['unknown-keys'], ['refuse', 'ignore'] as const);
  if (values['prompt-visible'] !== undefined) {
    opts.promptVisibleFrom = choiceFlag('--prompt-visible', values['prompt-visible'], ['succeeded', 'running'] as const) === 'running' ? 'RUNNING' : 'SUCCEEDED';
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(opts);
  } catch (error) {
    io.err(`pixverse emulator: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.configOrAuth;
  }
  io.out(
    [
      `DashScope emulator listening (time scale ${opts.timeScale ?? 1}, seed ${opts.seed ?? 1}, disputed rules ${opts.disputedRules ?? 'strict'}, unknown keys ${opts.unknownKeys ?? 'refuse'}, prompt visible ${opts.promptVisibleFrom === 'RUNNING' ? 'once running' : 'with the result'})`,
      `  base URL: ${emulator.baseUrl}`,
      // The emulator's key is a local, fake credential chosen on the command line or defaulted.
      `  API key:  ${emulator.apiKey}`,
      `  stats:    ${emulator.baseUrl.replace(/\/api\/v1$/, '')}/__emulator/stats`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  const signal = await deps.waitForStop();
  await emulator.close();
  io.out(`emulator stopped (${signal})`);
  return EXIT.ok;
}

/** A command-line mistake: exit 2, with the hint (main prints it). */
function usage(message: string, hint: string): UserError {
  return new UserError('invalid-input', 'usage', message, hint);
}

function choiceFlag<T extends string>(name: string, text: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  const near = closest(text, choices);
  throw usage(`${name} must be ${choices.join(' or ')}, got "${text}"`, near ? `did you mean ${name} ${near}?` : `write ${name} ${choices[0]}`);
}

function intFlag(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`${name} must be an integer within ${min}..${max}, got "${text}"`, `e.g. ${name} ${Math.min(max, Math.max(min, 8080))}`);
  return n;
}
