import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import fs from 'node:fs';
import { NrfCommand } from '../../../cli/baseCommand';
import { dataFlag, openStore } from '../../../cli/serveOptions';
import { UsageError } from '../../../core/errors';
import { parseServiceDevices } from '../../../service/deviceImport';

export default class ServeDevicesImport extends NrfCommand {
  static override summary = 'Add or update devices from a device list (ids, or a CSV with id and optional group, hw_version columns).';
  static override examples = ['<%= config.bin %> serve devices import devices.csv', '<%= config.bin %> serve devices import site-a.txt --group site-a'];
  static override args = { file: Args.string({ description: 'Device list file', required: true }) };
  static override flags = { ...dataFlag, group: Flags.string({ description: 'Group for devices the list gives none' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServeDevicesImport);
    let text: string;
    try {
      text = fs.readFileSync(args.file, 'utf8');
    } catch {
      throw new UsageError(`Invalid value for 'FILE': File '${args.file}' does not exist or cannot be read.`);
    }
    const { devices, duplicates } = parseServiceDevices(text, args.file, flags.group);
    const store = await openStore(flags);
    try {
      await store.upsertDevices(devices);
    } finally {
      await store.close();
    }
    if (duplicates.length) process.stderr.write(`Warning: ${args.file} lists ${duplicates.join(', ')} more than once\n`);
    this.print(`Imported ${devices.length} devices\n`);
  }
}
