// What a command may touch of the process: passed in so commands stay testable in-process.
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
}
