import * as Args from '@oclif/core/args';
import fs from 'node:fs';
import { NrfCommand } from '../../cli/baseCommand';
import { NrfutilError, UsageError } from '../../core/errors';
import { parseIntelHex } from '../../core/intelHex';
import { findSettings, settingsDisplayText } from '../../core/settingsDisplay';

export default class SettingsDisplay extends NrfCommand {
  static override summary = 'Display the bootloader DFU settings page in a .hex file.';
  static override aliases = ['nrf5sdk-tools:settings:display'];
  static override examples = ['<%= config.bin %> settings display settings.hex'];
  static override args = {
    hex_file: Args.string({ description: 'The Intel HEX file holding a settings page', required: true }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(SettingsDisplay);
    let text: string;
    try {
      text = fs.readFileSync(args.hex_file, 'latin1');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UsageError(`Invalid value for 'HEX_FILE': File '${args.hex_file}' does not exist.`);
      throw new NrfutilError(`Cannot read ${args.hex_file} (${code})`);
    }
    const segments = parseIntelHex(text, args.hex_file);
    const view = findSettings(segments, args.hex_file, (note) => this.print(note), (warning) => process.stderr.write(warning));
    this.print(settingsDisplayText(args.hex_file, view.family, view.startAddress, view.fields));
  }
}
