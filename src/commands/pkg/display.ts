import * as Args from '@oclif/core/args';
import fs from 'node:fs';
import { NrfCommand } from '../../cli/baseCommand';
import { NrfutilError } from '../../core/errors';
import { packageDisplayText } from '../../core/packageDisplay';
import { readDfuPackage } from '../../core/packageReader';

export default class PkgDisplay extends NrfCommand {
  static override summary = 'Display the contents of a .zip package file.';
  static override aliases = ['nrf5sdk-tools:pkg:display'];
  static override examples = ['<%= config.bin %> pkg display app_dfu.zip'];
  static override args = {
    zip_file: Args.string({ description: 'The package to display', required: true }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(PkgDisplay);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(args.zip_file);
    } catch (e) {
      throw new NrfutilError(`Cannot read ${args.zip_file} (${(e as NodeJS.ErrnoException).code})`);
    }
    const pkg = await readDfuPackage(bytes, args.zip_file, { allowNoImages: true });
    this.print(packageDisplayText(args.zip_file, pkg.images));
  }
}
