// Exit codes, documented in the README. The CLI entry is the only code that sets them.
import type { UserErrorKind } from '../core/errors.js';

export const EXIT = {
  /** Everything asked for is done (or the manifest is valid). */
  ok: 0,
  /** The run finished but some shots failed. */
  shotsFailed: 1,
  /** The manifest or the command line is invalid; nothing was submitted. */
  invalidInput: 2,
  /** Configuration, credentials or authorisation problem. */
  configOrAuth: 3,
  /** A budget cap refused the run, or uncertain submits need a decision (`--force`). */
  needsConfirmation: 4,
  /** Another run holds the run folder (`--wait` waits for it); nothing was sent. */
  runFolderBusy: 5,
  /** Interrupted by Ctrl-C; the ledger is consistent and the same command resumes. */
  interrupted: 130,
} as const;

export function exitCodeForUserError(kind: UserErrorKind): number {
  switch (kind) {
    case 'invalid-input':
      return EXIT.invalidInput;
    case 'config':
    case 'auth':
      return EXIT.configOrAuth;
    case 'budget':
    case 'unreconciled':
      return EXIT.needsConfirmation;
    case 'busy':
      return EXIT.runFolderBusy;
  }
}
