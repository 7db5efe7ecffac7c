// `pixverse emulator`: runs the local DashScope-compatible server until SIGINT/SIGTERM.
import { closest } from '../../core/catalog/suggest.js';
import { UserError } from '../../core/errors.js';
import { parseCommandArgs } from '../args.js';
import type { CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { FAULT_ENDPOINTS, FAULT_KINDS, MARKER_HELP, parseFaultList, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';

const HELP = `Usage: pixverse emulator [options]

Start a local DashScope-compatible server (loopback HTTP) for offline runs and tests.

Options:
  --port N           port to listen on (default: a free port)
  --host H           address to bind (default 127.0.0.1; loopback only: 127.x, ::1, localhost)
  --time-scale X     real seconds per emulated second: 1 = realistic task times,
                     0.01 = 100x faster (default 1)
  --seed N           seeds task durations and random faults (default 1)
  --api-key K        the one key the emulator accepts (default sk-emulator-key)
  --faults LIST      rate-based faults, endpoint:kind[=ms]@rate joined by commas,
                     e.g. "submit:429@0.1,getTask:503@0.05,download:slow=200@0.2"
                     endpoints: ${FAULT_ENDPOINTS.join(', ')}
                     kinds: ${FAULT_KINDS.join(', ')}
  --disputed R       rules on which two official pages disagree (v5.6-it2v at 1080P; several
                     images on it2v): strict = refuse, as the stricter page says (default);
                     lenient = accept, as the other page says
  --unknown-keys M   request keys the docs do not list: refuse = 400 InvalidParameter, to catch
                     typos (default); ignore = accept and note them in the stats, as the official
                     SDKs' traffic suggests the service does. input.extend_prompt and
                     input.function (sent by the official SDKs) are accepted either way
  --prompt-visible W when a task starts to show its orig_prompt: succeeded = with the result
                     (default, as the spec's result shapes show), running = already while it runs
  -h, --help         show this help

Quotas as documented: per model family 5 running tasks (more wait PENDING) and 5 submits/s
(→ 429 Throttling.RateQuota); 20 task queries/s per account (GET task, list, cancel →
429 Throttling); getPolicy 100/s per model.

Fault markers: a token in input.prompt scripts what happens to that request body or task:
${MARKER_HELP.map(([syntax, effect]) => `  ${syntax.padEnd(25)}${effect}`).join('\n')}

Point a client at it with the printed base URL and key (\`pixverse run --emulator\`
starts an in-process one instead). Counters: GET <origin>/__emulator/stats.
More in src/emulator/README.md.`;

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
