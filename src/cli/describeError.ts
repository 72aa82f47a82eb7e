import { Config } from '@oclif/core/config';
import { NrfutilError } from '../core/errors';
import { redactSecrets } from '../core/safeText';
import { noSuchCommandMessage, noSuchOptionMessage } from './suggestions';

// Its own module: bin/run.js reports errors from outside a command (unknown command, help)
// without loading the command base and the config code behind it.

/**
 * Maps any thrown error to one line and an exit code. oclif's parse errors become
 * click's messages (nrfutil is a click program): `Missing option '--format'.`,
 * `No such option: --aplication Did you mean --application?`.
 */
export function describeError(
  err: Error & { exitCode?: number; oclif?: { exit?: number }; code?: string; flags?: string[] },
  longOptions: readonly string[] = [],
): { message: string; exitCode: number } {
  const firstLine = (s: string) => redactSecrets(s.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'unknown error');
  if (err instanceof NrfutilError) return { message: firstLine(err.message), exitCode: err.exitCode };
  const name = err.constructor?.name ?? '';
  // eslint-disable-next-line no-control-regex
  const plain = String(err.message).replace(/\x1b\[[0-9;]*m/g, '');
  const missing = /Missing required flag (\S+)/.exec(plain);
  if (missing) return { message: `Missing option '--${missing[1]}'.`, exitCode: 2 };
  const missingArg = /^Missing \d+ required args?:\n(\S+)/.exec(plain);
  if (missingArg) return { message: `Missing argument '${missingArg[1].toUpperCase()}'.`, exitCode: 2 };
  if (name === 'NonExistentFlagsError' && err.flags?.length) return { message: noSuchOptionMessage(err.flags[0], longOptions), exitCode: 2 };
  // oclif's other parse errors (unknown/invalid flags and args) are usage errors
  if (/Parse|Args|Flag|Option|NonExistent|Unexpected|Validation/.test(name) || err.oclif?.exit === 2)
    return { message: firstLine(err.message), exitCode: 2 };
  if (err.code === 'ENOENT' || err.code === 'EACCES') return { message: firstLine(err.message), exitCode: 1 };
  return { message: firstLine(err.message), exitCode: err.oclif?.exit && err.oclif.exit !== 0 ? err.oclif.exit : 1 };
}

/**
 * Errors outside a command (bin/run.js): an unknown command gets click's
 * `No such command 'X'.` with the closest spelling among that level's commands.
 */
export async function describeTopLevelError(err: Error & { oclif?: { exit?: number } }, root: string): Promise<{ message: string; exitCode: number }> {
  const notFound = /^command (\S+) not found/.exec(String(err.message));
  if (!notFound) return describeError(err);
  const config = await Config.load(root);
  const ids = config.commandIDs.filter((id) => !id.startsWith('nrf5sdk-tools:'));
  return { message: noSuchCommandMessage(notFound[1].split(':'), ids), exitCode: 2 };
}
