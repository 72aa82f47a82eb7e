import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type * as Interfaces from '@oclif/core/interfaces';
import fs from 'node:fs';
import path from 'node:path';
import { DEBUG_KEY_BANNER } from '../../cli/banners';
import { NrfCommand } from '../../cli/baseCommand';
import { deviceBatchFlags } from '../../cli/deviceBatchOptions';
import { keyFlags, keyReference, openSigningKey, signTimeoutFlag } from '../../cli/keyOptions';
import { UsageError } from '../../core/errors';
import { isNrf5DebugKey } from '../../core/keyEncoding';
import { writePackageZip } from '../../core/packageZip';
import { readPackageForSigning, signAndVerify } from '../../core/resignPackage';
import { writeFileAtomic, writeFilesAtomic } from '../../node/atomicFile';
import { limitWarnings } from '../../core/signingCheck';
import { checkBootloaderKeys, expectBootloaderKeyFlag, refuseMismatch } from '../../cli/bootloaderKeyCheck';
import { expectBootloaderKeyDirFlag, hasDeviceTemplate, runPerDeviceBatch } from '../../cli/perDeviceBatch';
import { readPackageInput } from '../../fleet/devicePlan';
import { insertSignatures, parseSignaturesJson, unsignedFromImages } from '../../core/signingRequest';
import { readPackageForTwoPhase } from '../../core/twoPhaseSigning';
import { zigbeeOtaFileNameOf, zigbeeOtaFileOf } from '../../core/zigbeePackage';
import { namedPublicKey, signingRequestFlag, writeUnsignedWithRequest } from '../../cli/twoPhaseOptions';

export default class PkgSign extends NrfCommand {
  static override summary = 'Sign a package (again) with another key: the same bytes pkg generate writes with that key.';
  static override description =
    'IN may be unsigned or signed by any key. Every init packet is re-signed and every ECDSA boot validation re-made; the result is checked with the key\'s public key before it is written. A Zigbee update is re-signed inside its OTA file too, and the OTA file is written beside OUT_ZIP.';
  static override aliases = ['nrf5sdk-tools:pkg:sign'];
  static override examples = [
    '<%= config.bin %> pkg sign unsigned.zip --key-file private.pem signed.zip',
    '<%= config.bin %> pkg sign app.zip --key-dir keys --device dev-0042 dev-0042.zip',
    '<%= config.bin %> pkg sign app.zip --devices devices.txt --key-dir keys --out-dir out',
  ];
  static override args = {
    in_zip: Args.string({ description: 'The package to sign', required: true }),
    out_zip: Args.string({ description: 'The signed package to write (not with --devices)', required: false }),
  };
  static override flags = {
    ...keyFlags,
    ...signTimeoutFlag,
    ...deviceBatchFlags,
    json: Flags.boolean({ description: 'Print the result as JSON: the batch report with --devices, else the key and the bootloader keys found' }),
    'name-template': Flags.string({ description: 'With --devices: file name per device (default {device}.zip)' }),
    ...signingRequestFlag,
    ...expectBootloaderKeyFlag,
    ...expectBootloaderKeyDirFlag,
    signatures: Flags.string({ description: 'Two-phase signing: insert these signatures (JSON, made elsewhere for the --signing-request items) into IN; needs --public-key' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PkgSign);
    if (flags.devices !== undefined) return this.signForDevices(flags, args.in_zip, args.out_zip);
    if (flags['expect-bootloader-key-dir'] !== undefined) throw new UsageError('--expect-bootloader-key-dir goes with --devices; for one package give --expect-bootloader-key FILE');
    if (args.out_zip === undefined) throw new UsageError("Missing argument 'OUT_ZIP'.");
    if (flags.signatures !== undefined) return this.insertSignatures(flags, args.in_zip, args.out_zip);
    if (flags['signing-request'] !== undefined) return this.writeRequest(flags, args.in_zip, args.out_zip, flags['signing-request']);
    if (flags['public-key'] !== undefined) throw new UsageError('--public-key is for two-phase signing (--signing-request or --signatures); to sign here, name the private key with --key-file or --key-dir');
    const ref = keyReference(flags);
    if (!ref) throw new UsageError('pkg sign needs a signing key: --key-file FILE|pkcs11:URI, or --key-dir DIR --device ID');
    const { plan } = await readPackageForSigning(readPackageInput(args.in_zip), args.in_zip);
    const key = await openSigningKey(ref, flags['sign-timeout']);
    let check: ReturnType<typeof checkBootloaderKeys>;
    let otaFile: string | undefined;
    try {
      const signingKey = await key.publicKey();
      if (isNrf5DebugKey(signingKey)) (flags.json ? (t: string) => process.stderr.write(t) : (t: string) => this.print(t))(DEBUG_KEY_BANNER);
      check = checkBootloaderKeys(plan.images, { signingKey, expect: flags['expect-bootloader-key'], keyDir: flags['key-dir'] });
      if (!flags.json) this.print(check.text);
      process.stderr.write(check.warnings);
      refuseMismatch(check);
      process.stderr.write(limitWarnings(plan));
      const files = await signAndVerify(plan, key, args.in_zip);
      if (plan.zigbee) {
        // as pkg generate --zigbee True: the OTA file too, beside the zip; both files or neither
        otaFile = path.join(path.dirname(args.out_zip), zigbeeOtaFileNameOf(plan));
        writeFilesAtomic([
          { target: otaFile, data: zigbeeOtaFileOf(files, plan) },
          { target: args.out_zip, data: await writePackageZip(files) },
        ]);
      } else {
        writeFileAtomic(args.out_zip, await writePackageZip(files));
      }
    } finally {
      await key.close?.();
    }
    if (flags.json) this.print(JSON.stringify({ package: args.out_zip, ...(otaFile ? { zigbeeOtaFile: otaFile } : {}), key: key.label, bootloaderKeys: check.reports }, null, 2) + '\n');
    else this.print(`${otaFile ? `Zigbee update created at ${otaFile}\n` : ''}Zip created at ${args.out_zip}\n`);
  }

  /** First phase: the unsigned package and the request naming what to sign. */
  private async writeRequest(flags: Interfaces.InferredFlags<typeof PkgSign.flags>, inZip: string, outZip: string, requestFile: string): Promise<void> {
    const { images } = await readPackageForTwoPhase(readPackageInput(inZip), inZip);
    const publicKey = await namedPublicKey(flags['public-key'], keyReference(flags));
    const blImages = images.map((i) => ({ kind: i.kind, binName: i.binFile, bin: i.bin, init: i.packet.init }));
    const check = checkBootloaderKeys(blImages, { signingKey: publicKey?.xy, expect: flags['expect-bootloader-key'], keyDir: flags['key-dir'] });
    this.print(check.text);
    process.stderr.write(check.warnings);
    refuseMismatch(check);
    const { files, items } = unsignedFromImages(images);
    this.print(await writeUnsignedWithRequest(outZip, requestFile, files, items, publicKey?.xy));
  }

  /** Second phase: signatures made elsewhere, each checked before anything is written. */
  private async insertSignatures(flags: Interfaces.InferredFlags<typeof PkgSign.flags>, inZip: string, outZip: string): Promise<void> {
    const publicKey = await namedPublicKey(flags['public-key'], keyReference(flags));
    if (!publicKey) throw new UsageError('--signatures needs --public-key FILE: the public key of the key that made the signatures');
    const { images } = await readPackageForTwoPhase(readPackageInput(inZip), inZip);
    const sigsFile = flags.signatures!;
    let text: string;
    try {
      text = fs.readFileSync(sigsFile, 'utf8');
    } catch {
      throw new UsageError(`Invalid value for '--signatures': File '${sigsFile}' does not exist or cannot be read.`);
    }
    const result = insertSignatures(images, parseSignaturesJson(text, sigsFile), publicKey.xy, sigsFile, publicKey.label);
    if (result.complete) {
      writeFileAtomic(outZip, await writePackageZip(result.files));
      this.print(`Zip created at ${outZip}\n`);
    } else if (flags['signing-request'] !== undefined) {
      this.print(await writeUnsignedWithRequest(outZip, flags['signing-request'], result.files, result.pending, publicKey.xy));
    } else {
      writeFileAtomic(outZip, await writePackageZip(result.files));
      this.print(`Zip created at ${outZip} (boot validations signed, init packets not yet: run pkg sign ${outZip} --signing-request REQ.json NEXT.zip for the second round)\n`);
    }
  }

  private async signForDevices(flags: Interfaces.InferredFlags<typeof PkgSign.flags>, inZip: string, outZip: string | undefined): Promise<void> {
    if (outZip !== undefined) throw new UsageError('With --devices, give --out-dir DIR instead of OUT_ZIP');
    if (flags['signing-request'] !== undefined || flags.signatures !== undefined) throw new UsageError('--signing-request and --signatures sign one package; leave out --devices');
    if (flags.device !== undefined) throw new UsageError('With --devices, leave out --device: each device in the list gets its own key');
    if (hasDeviceTemplate(inZip) || flags['expect-bootloader-key-dir'] !== undefined) {
      const ok = await runPerDeviceBatch(
        { devicesFile: flags.devices!, outDir: flags['out-dir'], nameTemplate: flags['name-template'], json: flags.json, keyFile: flags['key-file'], keyDir: flags['key-dir'], expectKeyDir: flags['expect-bootloader-key-dir'], signTimeout: flags['sign-timeout'], recipe: { package: inZip } },
        (t) => this.print(t),
      );
      if (!ok) process.exitCode = 1;
      return;
    }
    const { plan } = await readPackageForSigning(readPackageInput(inZip), inZip);
    const check = checkBootloaderKeys(plan.images, { expect: flags['expect-bootloader-key'], keyDir: flags['key-dir'] });
    process.stderr.write(check.text + check.warnings);
    refuseMismatch(check);
    // the recovered plan goes through pkg generate --devices's batch (same report, workers,
    // verify-before-write): each device's zip equals what that writes for it
    const { runFleetPlan } = await import('../../cli/pkgFleet'); // loaded only for --devices
    const allWritten = await runFleetPlan({ ...flags, devices: flags.devices! }, () => plan, (t) => this.print(t));
    if (!allWritten) process.exitCode = 1;
  }
}
