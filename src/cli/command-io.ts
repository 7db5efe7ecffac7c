// What a command may touch of the process: passed in so commands stay testable in-process.
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
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
