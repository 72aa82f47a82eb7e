import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import fs from 'node:fs';
import { NrfCommand } from '../../cli/baseCommand';
import { keyFlags, keyReference, providerContext } from '../../cli/keyOptions';
import { limitFlags, limitsFromFlags } from '../../cli/limitOptions';
import { NrfutilError, UsageError } from '../../core/errors';
import { PackageVerdict, verifyPackage } from '../../core/packageVerify';
import { verifyReportText } from '../../core/verifyText';
import { openKeyProvider } from '../../plugins/registry';
import { expectBootloaderKeyFlag, packageBootloaderCheck } from '../../cli/bootloaderKeyCheck';

export default class PkgVerify extends NrfCommand {
  static override summary = 'Check a package as the nRF5 secure bootloader would, with the public key it trusts.';
  static override description =
    'Exit 0 when the bootloader would accept the package, 1 when it would reject it, 2 for usage errors.';
  static override aliases = ['nrf5sdk-tools:pkg:verify'];
  static override examples = [
    '<%= config.bin %> pkg verify app_dfu.zip --key-file public.pem',
    '<%= config.bin %> pkg verify dev-0042.zip --key-dir keys --device dev-0042 --json',
  ];
  static override args = {
    zip_file: Args.string({ description: 'The package to check', required: true }),
  };
  static override flags = {
    ...keyFlags,
    ...limitFlags,
    json: Flags.boolean({ description: 'Print the result as JSON' }),
    ...expectBootloaderKeyFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PkgVerify);
    const ref = keyReference(flags);
    const limits = limitsFromFlags(flags);
    if (!ref) throw new UsageError('pkg verify needs the public key the bootloader trusts: --key-file FILE|pkcs11:URI, or --key-dir DIR --device ID');
    if (!fs.existsSync(args.zip_file)) throw new UsageError(`Invalid value for 'ZIP_FILE': File '${args.zip_file}' does not exist.`);
    let zip: Buffer;
    try {
      zip = fs.readFileSync(args.zip_file);
    } catch (e) {
      throw new NrfutilError(`Cannot read ${args.zip_file} (${(e as NodeJS.ErrnoException).code})`);
    }
    const key = await openKeyProvider(ref, providerContext());
    let verdict: PackageVerdict;
    let publicKey: Uint8Array;
    try {
      publicKey = await key.publicKey();
      verdict = await verifyPackage(zip, args.zip_file, publicKey, limits);
    } finally {
      await key.close?.();
    }
    const check = await packageBootloaderCheck(zip, args.zip_file, { signingKey: publicKey, expect: flags['expect-bootloader-key'], keyDir: flags['key-dir'] });
    if (flags.json) this.print(JSON.stringify({ package: args.zip_file, key: key.label, ...verdict, bootloaderKeys: check.reports }, null, 2) + '\n');
    else this.print(verifyReportText(args.zip_file, verdict) + check.text + (check.mismatch ? `Error: ${check.mismatch}\n` : ''));
    if (!flags.json) process.stderr.write(check.warnings);
    // Tolerated oddities go to stderr: stdout keeps one line per image and the verdict.
    for (const warning of verdict.images.flatMap((i) => i.warnings)) process.stderr.write(`Warning: ${warning}\n`);
    if (!verdict.accepted || check.mismatch) process.exitCode = 1;
  }
}
