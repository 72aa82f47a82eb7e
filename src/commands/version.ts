import { NrfCommand } from '../cli/baseCommand';
import { log, LogLevel } from '../cli/globalOptions';

/** nrfutil's version this tool reproduces, byte for byte. */
export const REFERENCE_NRFUTIL_VERSION = '6.1.7';

export default class Version extends NrfCommand {
  static override summary = 'Display the nrfutil-ts version and the nrfutil version it reproduces.';
  static override aliases = ['nrf5sdk-tools:version'];

  async run(): Promise<void> {
    await this.parse(Version);
    this.print(`nrfutil version ${REFERENCE_NRFUTIL_VERSION} (nrfutil-ts ${this.config.version})\n`);
    // the records nrfutil's version command logs (seen with -vv / -vvv)
    log('PyPi URL: https://pypi.python.org/pypi/nrfutil', LogLevel.INFO);
    log('GitHub URL: https://github.com/NordicSemiconductor/pc-nrfutil', LogLevel.DEBUG);
  }
}
