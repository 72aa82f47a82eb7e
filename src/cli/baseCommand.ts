import { Command } from '@oclif/core/command';
import { Config } from '@oclif/core/config';
import type { Interfaces } from '@oclif/core';
import { loadConfig } from '../config';
import { describeError } from './describeError';

/**
 * Every command's base: one `Error: …` line on stderr and nrfutil's exit codes
 * (2 for usage errors, 1 otherwise), never a stack trace.
 */
export abstract class NrfCommand extends Command {
  /**
   * oclif's Command.run loads a second Config when it is given one (as oclif's own
   * config.runCommand does), which costs every run several milliseconds; a Config that is
   * loaded already is used as it is. Anything else goes to oclif's run.
   */
  static override async run<T extends Command>(this: new (argv: string[], config: Config) => T, argv?: string[], opts?: Interfaces.LoadOptions): Promise<ReturnType<T['run']>> {
    if (!(opts instanceof Config) || opts.pjson === undefined) return Command.run.call(this, argv, opts) as Promise<ReturnType<T['run']>>;
    const cmd = new this(argv ?? process.argv.slice(2), opts) as T & { _run<R>(): Promise<R> };
    if (!cmd.id) cmd.id = (cmd.constructor as typeof Command).id = cmd.constructor.name.toLowerCase(); // as oclif's run
    return cmd._run<ReturnType<T['run']>>();
  }

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
