import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { NrfCommand } from '../../cli/baseCommand';
import { DEBUG_KEY_BANNER } from '../../cli/banners';
import { keyFlags, keyReference, providerContext } from '../../cli/keyOptions';
import { writeFileAtomic } from '../../node/atomicFile';
import { UsageError } from '../../core/errors';
import { renderKey, KeyFormat } from '../../core/keyDisplay';
import { openKeyProvider } from '../../plugins/registry';
import { deviceBatchFlags } from '../../cli/deviceBatchOptions';

export default class KeysDisplay extends NrfCommand {
  static override summary = 'Display the private key that is stored in a file, or its public key.';
  static override aliases = ['nrf5sdk-tools:keys:display'];
  static override examples = [
    '<%= config.bin %> keys display --key pk --format code --out_file dfu_public_key.c private.pem',
    '<%= config.bin %> keys display --key pk --format hex --key-dir keys --device dev-0042',
    "<%= config.bin %> keys display --key pk --format code 'pkcs11:token=fleet;object=dev-0042'",
  ];
  static override args = {
    key_file: Args.string({ description: 'PEM key file or PKCS#11 URI (or use --key-dir/--device)', required: false }),
  };
  static override flags = {
    key: Flags.string({ description: 'Key to display: pk (public) or sk (private)', options: ['pk', 'sk'], required: true }),
    format: Flags.string({ description: 'Output format', options: ['hex', 'code', 'pem', 'dbgcode'], required: true }),
    out_file: Flags.string({ description: 'Write the output to this file instead of stdout' }),
    'key-dir': keyFlags['key-dir'],
    device: keyFlags.device,
    ...deviceBatchFlags,
    'key-file': Flags.string({ description: 'With --devices: a key template containing {device} (a PEM path or a pkcs11: URI)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(KeysDisplay);
    const format = flags.format as KeyFormat;
    if (flags.devices !== undefined) {
      if (flags.key !== 'pk') throw new UsageError('--devices writes public keys only: use --key pk');
      if (args.key_file !== undefined || flags.device !== undefined || flags.out_file !== undefined)
        throw new UsageError('With --devices, give --out-dir DIR (and --key-dir DIR or --key-file TEMPLATE), not KEY_FILE, --device or --out_file');
      const { displayFleetKeys } = await import('../../cli/keysFleet'); // loaded only for --devices
      if (!(await displayFleetKeys({ ...flags, devices: flags.devices }, format, (t) => this.print(t)))) process.exitCode = 1;
      return;
    }
    if (flags.key === 'sk' && (format === 'code' || format === 'dbgcode'))
      throw new UsageError('Displaying the private key as code is not available.');
    const ref = keyReference({ 'key-file': args.key_file, 'key-dir': flags['key-dir'], device: flags.device });
    if (!ref) throw new UsageError("Missing argument 'KEY_FILE' (or --key-dir DIR --device ID).");
    const provider = await openKeyProvider(ref, providerContext());
    try {
      const rendered = await renderKey(provider, flags.key as 'pk' | 'sk', format);
      if (rendered.isDebugKey) this.print(DEBUG_KEY_BANNER);
      if (flags.out_file) writeFileAtomic(flags.out_file, rendered.text, flags.key === 'sk' ? 0o600 : 0o644);
      else this.print(rendered.text + '\n');
    } finally {
      await provider.close?.();
    }
  }
}
