import { NrfutilError } from '../core/errors';

// Its own module: bin/run.js reports errors from outside a command (unknown command, help)
// without loading the command base and the config code behind it.

/** Maps any thrown error to one line and an exit code. */
export function describeError(err: Error & { exitCode?: number; oclif?: { exit?: number }; code?: string }): { message: string; exitCode: number } {
  const firstLine = (s: string) => s.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'unknown error';
  if (err instanceof NrfutilError) return { message: firstLine(err.message), exitCode: err.exitCode };
  // oclif's own parse errors (missing/unknown/invalid flags and args) are usage errors
  const name = err.constructor?.name ?? '';
  if (/Parse|Args|Flag|Option|NonExistent|Unexpected|Validation/.test(name) || err.oclif?.exit === 2)
    return { message: firstLine(err.message), exitCode: 2 };
  if (err.code === 'ENOENT' || err.code === 'EACCES') return { message: firstLine(err.message), exitCode: 1 };
  return { message: firstLine(err.message), exitCode: err.oclif?.exit && err.oclif.exit !== 0 ? err.oclif.exit : 1 };
}
