import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { NrfCommand } from '../../cli/baseCommand';
import { keyReference, providerContext } from '../../cli/keyOptions';
import { askYesNo } from '../../cli/prompt';
import { UsageError } from '../../core/errors';
import { publicKeyHex } from '../../core/keyEncoding';
import { factoryFor, generateKey, hasKey } from '../../plugins/registry';

export default class KeysGenerate extends NrfCommand {
  static override summary = 'Generate a private key (P-256) and store it in a file, a key directory or an HSM.';
  static override aliases = ['nrf5sdk-tools:keys:generate'];
  static override examples = [
    '<%= config.bin %> keys generate private.pem',
    '<%= config.bin %> keys generate --key-dir keys --device dev-0042',
    "<%= config.bin %> keys generate 'pkcs11:token=fleet;object=dev-0042'",
  ];
  static override args = {
    key_file: Args.string({ description: 'PEM file to create, or a PKCS#11 URI', required: false }),
  };
  static override flags = {
    'key-dir': Flags.string({ description: 'Directory of per-device keys; the key is <dir>/<device>.pem' }),
    device: Flags.string({ description: 'Device id of the key to create (with --key-dir)' }),
    devices: Flags.string({ description: 'Device list (one id per line, or CSV with an "id" column): create every missing key in --key-dir' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(KeysGenerate);
    if (flags.devices !== undefined) {
      if (args.key_file !== undefined || flags.device !== undefined) throw new UsageError('--devices creates one key per listed device: give --key-dir DIR, not KEY_FILE or --device');
      // the fleet code loads only for --devices
      const { generateFleetKeys } = await import('../../cli/keysFleet');
      await generateFleetKeys(flags.devices, flags['key-dir'], (t) => this.print(t));
      return;
    }
    const ref = keyReference({ 'key-file': args.key_file, 'key-dir': flags['key-dir'], device: flags.device });
    if (!ref) throw new UsageError("Missing argument 'KEY_FILE' (or --key-dir DIR --device ID).");
    // keys kept in files: asked before one is replaced, and named by their path
    const factory = factoryFor(ref);
    const target = factory.keyFile && (ref.keyFile !== undefined || ref.device !== undefined) ? factory.keyFile(ref) : undefined;
    if (target !== undefined && (await hasKey(ref, providerContext()))) {
      const overwrite = await askYesNo(`File found at ${target}. Do you want to overwrite the file?`);
      if (overwrite === undefined) {
        // end of input: click's Abort, as nrfutil
        process.stderr.write('\nAborted!\n');
        process.exitCode = 1;
        return;
      }
      if (!overwrite) {
        this.print('Key generation aborted.\n');
        return;
      }
    }
    const provider = await generateKey(ref, providerContext());
    try {
      if (target === undefined) {
        this.print(`Generated key pair in ${provider.label}\nPublic (verification) key pk:\n${publicKeyHex(await provider.publicKey())}\n`);
      } else {
        this.print(`Generated private key and stored it in: ${target}\n`);
      }
    } finally {
      await provider.close?.();
    }
  }
}
