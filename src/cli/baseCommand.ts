import { Command } from '@oclif/core/command';
import { loadConfig } from '../config';
import { NrfutilError } from '../core/errors';

/**
 * Every command's base: one `Error: …` line on stderr and nrfutil's exit codes
 * (2 for usage errors, 1 otherwise), never a stack trace.
 */
export abstract class NrfCommand extends Command {
  /** Every command reads the config file (and registers its key-provider plugins) first. */
  override async init(): Promise<void> {
    await super.init();
    await loadConfig();
  }

  protected print(text: string): void {
    process.stdout.write(text);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    // A parse failure already explained itself; without this oclif adds a warning about
    // an unparsed command (when NODE_ENV is development or test).
    this.parsed = true;
    const { message, exitCode } = describeError(err);
    process.stderr.write(`Error: ${message}\n`);
    process.exitCode = exitCode;
  }
}

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
