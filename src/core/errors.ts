// One error family for everything the user can fix. The CLI prints `message` and `hint`
// (never a stack) and maps `kind` to an exit code in one place (src/cli/exit-codes.ts).

/** `busy`: another run holds the run folder (see src/io/run-folder-lock.ts). */
export type UserErrorKind = 'invalid-input' | 'config' | 'auth' | 'budget' | 'unreconciled' | 'busy';

export class UserError extends Error {
  readonly kind: UserErrorKind;
  readonly hint: string | undefined;
  readonly code: string;

  constructor(kind: UserErrorKind, code: string, message: string, hint?: string) {
    super(message);
    this.name = 'UserError';
    this.kind = kind;
    this.code = code;
    this.hint = hint;
  }
}
