import { Command } from '@oclif/core/command';
import { Config } from '@oclif/core/config';
import type * as Interfaces from '@oclif/core/interfaces';
import { loadConfig } from '../config';
import { redactSecrets } from '../core/safeText';
import { installSignalHandlers, leaveExitToCommand } from '../node/temporaryFiles';
import { describeError } from './describeError';
import { log, LogLevel } from './globalOptions';
// The CLI hashes and verifies with OpenSSL (core's portable code gives the same answers, slower).
import '../node/nodeCrypto';

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
  /** A command that ends on a signal by design (dfu simulate) handles signals itself. */
  static handlesSignals = false;

  override async init(): Promise<void> {
    if ((this.constructor as typeof NrfCommand).handlesSignals) leaveExitToCommand();
    installSignalHandlers();
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

export { describeError, describeTopLevelError } from './describeError';
