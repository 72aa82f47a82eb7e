import { Command } from '@oclif/core/command';
import { loadConfig } from '../config';
import { describeError } from './describeError';

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

export { describeError };
