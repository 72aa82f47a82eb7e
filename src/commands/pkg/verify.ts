import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import fs from 'node:fs';
import { NrfCommand } from '../../cli/baseCommand';
import { keyFlags, keyReference, providerContext } from '../../cli/keyOptions';
import { NrfutilError, UsageError } from '../../core/errors';
import { ImageVerdict, PackageVerdict, verifyPackage } from '../../core/packageVerify';
import { openKeyProvider } from '../../plugins/registry';

function imageLine(image: ImageVerdict): string {
  const name = `${image.kind.padEnd(21)} ${image.binFile}`;
  if (image.problems.length === 0) return `${name}: ok (${image.size} bytes, hash ok, signature valid)\n`;
  return `${name}: REJECTED: ${image.problems.join('; ')}\n`;
}

function verdictLine(file: string, verdict: PackageVerdict): string {
  if (verdict.accepted) return `${file}: the bootloader would accept this package\n`;
  const reason = verdict.problems[0] ?? verdict.images.flatMap((i) => i.problems)[0];
  return `${file}: REJECTED: ${reason}\n`;
}

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
    json: Flags.boolean({ description: 'Print the result as JSON' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PkgVerify);
    const ref = keyReference(flags);
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
    try {
      verdict = await verifyPackage(zip, args.zip_file, await key.publicKey());
    } finally {
      await key.close?.();
    }
    if (flags.json) this.print(JSON.stringify({ package: args.zip_file, key: key.label, ...verdict }, null, 2) + '\n');
    else this.print(verdict.images.map(imageLine).join('') + verdictLine(args.zip_file, verdict));
    if (!verdict.accepted) process.exitCode = 1;
  }
}
