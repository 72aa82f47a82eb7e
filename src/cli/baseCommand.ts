import { Command, Config } from '@oclif/core';
import { loadConfig } from '../config';
import { NrfutilError } from '../core/errors';
import { redactSecrets } from '../core/safeText';
import { installSignalHandlers } from '../node/temporaryFiles';
import { noSuchCommandMessage, noSuchOptionMessage } from './suggestions';
import { log, LogLevel } from './globalOptions';
// The CLI hashes and verifies with OpenSSL (core's portable code gives the same answers, slower).
import '../node/nodeCrypto';

/**
 * Every command's base: one `Error: …` line on stderr and nrfutil's exit codes
 * (2 for usage errors, 1 otherwise), never a stack trace.
 */
export abstract class NrfCommand extends Command {
  /** Every command reads the config file (and registers its key-provider plugins) first. */
  /** A command that ends on a signal by design (dfu simulate) handles signals itself. */
  static handlesSignals = false;

  override async init(): Promise<void> {
    if (!(this.constructor as typeof NrfCommand).handlesSignals) installSignalHandlers();
    await super.init();
    log(`nrfutil-ts ${this.config.version}: ${this.id ?? ''}`, LogLevel.DEBUG);
    await loadConfig();
  }

  /** The command's long options, for click's "Did you mean" on an unknown one. */
  private longOptions(): string[] {
    const flags = (this.constructor as typeof Command).flags ?? {};
    return [...Object.keys(flags).map((name) => `--${name}`), '--help'];
  }

  protected print(text: string): void {
    process.stdout.write(redactSecrets(text));
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    // A parse failure already explained itself; without this oclif adds a warning about
    // an unparsed command (when NODE_ENV is development or test).
    this.parsed = true;
    const { message, exitCode } = describeError(err, this.longOptions());
    process.stderr.write(`Error: ${message}\n`);
    process.exitCode = exitCode;
  }
}

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
