// What a command may touch of the process: passed in so commands stay testable in-process.
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
  /** `--quiet`: `out` already drops everything; commands print only what went wrong, on `err`. */
  quiet?: boolean;
}

/**
 * A warning on stderr: `warning: <message>` for people, or with `--json` one JSON line
 * (`{"type":"warning","message",…}`) so that a program reading the output never meets free text.
 */
export function writeWarning(io: Pick<CommandIo, 'err'>, json: boolean, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
  io.err(json ? JSON.stringify({ type: 'warning', ...fields, message }) : `warning: ${message}`);
}

/**
 * The same io whose `out` and `err` never throw: what a command prints is for people, and a
 * display that fails (a renderer bug, a closed stream) must never end a run or change its exit
 * code. The run keeps its ledger and reports either way.
 */
export function tolerantIo(io: CommandIo): CommandIo {
  const safe = (write: (text: string) => void) => (text: string): void => {
    try {
      write(text);
    } catch {
      /* dropped: see above */
    }
  };
  return { ...io, out: safe(io.out), err: safe(io.err) };
}
