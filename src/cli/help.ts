import { Help } from '@oclif/core/help';

/**
 * nrfutil's global options come before the command, where oclif does not parse them
 * (bin/run.js takes them off argv), so its help would not list them: add them.
 */
export const GLOBAL_OPTIONS_HELP = `GLOBAL OPTIONS (before the command, as in nrfutil)
  -v, --verbose            Increase verbosity of output. Can be specified more than once (up to -v -v -v -v).
  -o, --output <filename>  Log output to file
`;

export default class NrfHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp();
    this.log(GLOBAL_OPTIONS_HELP);
  }
}
