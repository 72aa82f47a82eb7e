import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type * as Interfaces from '@oclif/core/interfaces';
import { DEBUG_KEY_BANNER, UNSIGNED_BANNER } from '../../cli/banners';
import { NrfCommand } from '../../cli/baseCommand';
import { intFlag } from '../../cli/intFlag';
import { keyFlags, keyReference, openSigningKey, signTimeoutFlag } from '../../cli/keyOptions';
import { BOOT_VALIDATION_CHOICES, readPackageImages, validatePkgOptions } from '../../cli/pkgGenerateOptions';
import { validateZigbeeOptions } from '../../cli/zigbeeOptions';
import { writeFileAtomic, writeFilesAtomic } from '../../node/atomicFile';
import { NrfutilError, UsageError } from '../../core/errors';
import { signaturesMatchKey } from '../../core/packageVerify';
import { deviceBatchFlags } from '../../cli/deviceBatchOptions';
import { PackageFiles, PackageSpec, planPackage, signPlan } from '../../core/dfuPackage';
import { isNrf5DebugKey } from '../../core/keyEncoding';
import { writePackageZipFast as writePackageZip } from '../../node/storedZip';
import { initCommandLimitProblems } from '../../core/bootloaderLimits';
import { limitFlags, limitsFromFlags } from '../../cli/limitOptions';
import { signingRequestFlag } from '../../cli/twoPhaseOptions';
import { checkBootloaderKeys, expectBootloaderKeyFlag, quietWithoutKey, refuseMismatch } from '../../cli/bootloaderKeyCheck';
import { generateWithSigningRequest } from '../../cli/pkgGenerateRequest';
import { expectBootloaderKeyDirFlag, hasDeviceTemplate, runPerDeviceBatch } from '../../cli/perDeviceBatch';
import type { SigningKeyProvider } from '../../plugins/keyProvider';


export default class PkgGenerate extends NrfCommand {
  static override summary = 'Generate a zip file for performing DFU.';
  static override aliases = ['nrf5sdk-tools:pkg:generate'];
  static override examples = [
    '<%= config.bin %> pkg generate --hw-version 52 --sd-req 0x0101 --application-version 1 --application app.hex --key-file private.pem app_dfu.zip',
    '<%= config.bin %> pkg generate --hw-version 52 --sd-req 0x0101 --application-version 1 --application app.hex --key-dir keys --device dev-0042 dev-0042.zip',
  ];
  static override args = {
    zipfile: Args.string({ description: 'The package file to create (not with --devices)', required: false }),
  };
  static override flags = {
    'debug-mode': Flags.boolean({ description: 'Debug mode: is_debug set; versions, hw version and sd-req default to "any"' }),
    application: Flags.string({ description: 'The application firmware file (.hex or .bin)' }),
    'application-version': intFlag('The application version'),
    'application-version-string': Flags.string({ description: 'The application version as x.y.z (x*10000 + y*100 + z)' }),
    bootloader: Flags.string({ description: 'The bootloader firmware file' }),
    'bootloader-version': intFlag('The bootloader version'),
    'hw-version': intFlag('The hardware version'),
    'sd-req': Flags.string({ description: 'Comma-separated list of SoftDevice firmware IDs the update requires', multiple: true, multipleNonGreedy: true }),
    'sd-id': Flags.string({ description: 'Comma-separated list of SoftDevice firmware IDs the new SoftDevice provides (for the application)', multiple: true, multipleNonGreedy: true }),
    softdevice: Flags.string({ description: 'The SoftDevice firmware file' }),
    'sd-boot-validation': Flags.string({ description: 'Boot validation of the SoftDevice', options: [...BOOT_VALIDATION_CHOICES] }),
    'app-boot-validation': Flags.string({ description: 'Boot validation of the application', options: [...BOOT_VALIDATION_CHOICES] }),
    ...keyFlags,
    ...signTimeoutFlag,
    ...limitFlags,
    ...deviceBatchFlags,
    'name-template': Flags.string({ description: 'With --devices: file name per device (default {device}.zip, {device}.dat with --dat-only)' }),
    'dat-only': Flags.boolean({ description: 'With --devices: one init packet per device beside one shared .bin, no zips' }),
    'external-app': Flags.boolean({ description: 'Package the application as an external application (stored, not run, by the bootloader)' }),
    zigbee: Flags.string({ description: 'Create a Zigbee OTA update file as well (True/False)', default: 'False' }),
    'zigbee-manufacturer-id': intFlag('Zigbee manufacturer id'),
    'zigbee-image-type': intFlag('Zigbee image type'),
    'zigbee-comment': Flags.string({ description: 'Zigbee OTA header string' }),
    'zigbee-ota-hw-version': intFlag('Zigbee OTA hardware version'),
    'zigbee-ota-fw-version': intFlag('Zigbee OTA firmware version'),
    'zigbee-ota-min-hw-version': intFlag('Zigbee OTA minimum hardware version'),
    'zigbee-ota-max-hw-version': intFlag('Zigbee OTA maximum hardware version'),
    ...signingRequestFlag,
    ...expectBootloaderKeyFlag,
    ...expectBootloaderKeyDirFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PkgGenerate);
    if (flags['signing-request'] !== undefined) return this.print(await generateWithSigningRequest(flags, args.zipfile, flags['signing-request']));
    if (flags['public-key'] !== undefined) throw new UsageError('--public-key goes with --signing-request (two-phase signing); to sign here, give --key-file or --key-dir');
    if (flags.devices !== undefined) return this.generateForDevices(flags, args.zipfile);
    if (flags['expect-bootloader-key-dir'] !== undefined) throw new UsageError('--expect-bootloader-key-dir goes with --devices; for one package give --expect-bootloader-key FILE');
    if (args.zipfile === undefined) throw new UsageError("Missing argument 'ZIPFILE'.");
    const zipfile = args.zipfile;
    const ref = keyReference(flags);
    const { spec: options } = validatePkgOptions(flags, ref !== undefined, (text) => this.print(text));
    const zigbee = validateZigbeeOptions(flags);
    for (const w of zigbee?.warnings ?? []) process.stderr.write(w);

    let key: SigningKeyProvider | undefined;
    if (ref) {
      key = await openSigningKey(ref, flags['sign-timeout']);
      if (isNrf5DebugKey(await key.publicKey())) this.print(DEBUG_KEY_BANNER);
    } else {
      this.print(UNSIGNED_BANNER);
    }
    try {
      const spec: PackageSpec = { ...options, ...readPackageImages(flags) };
      const signer = key ? (m: Uint8Array) => key!.sign(m) : undefined;
      const plan = planPackage(spec);
      // The key each bootloader trusts, on stderr: stdout stays nrfutil's.
      const check = checkBootloaderKeys(plan.images, { signingKey: key && (await key.publicKey()), expect: flags['expect-bootloader-key'], keyDir: flags['key-dir'] });
      process.stderr.write(quietWithoutKey(check));
      refuseMismatch(check);
      for (const image of plan.images)
        for (const problem of initCommandLimitProblems(image.init, limitsFromFlags(flags)))
          process.stderr.write(`Warning: ${image.datName} will have ${problem}; the nRF5 bootloader will reject this package.\n`);
      const checkSignatures = async (files: PackageFiles) => {
        if (key && !signaturesMatchKey(files, await key.publicKey()))
          throw new NrfutilError(`the signature made with ${key.label} does not verify with its public key: the key store's public and private objects are not one pair`);
        return files;
      };
      if (zigbee) {
        const { buildZigbeeUpdate } = await import('../../core/zigbeePackage'); // loaded only for --zigbee
        const update = await buildZigbeeUpdate(spec, zigbee.options, signer);
        await checkSignatures(update.files);
        // Both files or neither, and an existing file of either name stays as it was on failure.
        writeFilesAtomic([
          { target: update.otaFileName, data: update.otaFile },
          { target: zipfile, data: await writePackageZip(update.files) },
        ]);
        this.print(`Zigbee update created at ${update.otaFileName}\n`);
      } else {
        writeFileAtomic(zipfile, await writePackageZip(await checkSignatures(await signPlan(plan, signer))));
      }
      this.print(`Zip created at ${zipfile}\n`);
    } finally {
      await key?.close?.();
    }
  }

  /** `--devices FILE`: one package (or init packet) per device, each signed with its own key. */
  private async generateForDevices(flags: Interfaces.InferredFlags<typeof PkgGenerate.flags>, zipfile: string | undefined): Promise<void> {
    if (zipfile !== undefined) throw new UsageError('With --devices, give --out-dir DIR instead of a ZIPFILE');
    const { spec: options } = validatePkgOptions(flags, true, (text) => process.stderr.write(text));
    if (validateZigbeeOptions(flags)) throw new UsageError('--zigbee True cannot be combined with --devices');
    if (hasDeviceTemplate(flags.application, flags.bootloader, flags.softdevice) || flags['expect-bootloader-key-dir'] !== undefined) {
      if (flags['dat-only']) throw new UsageError('--dat-only shares one .bin: it cannot be combined with {device} in firmware paths or --expect-bootloader-key-dir');
      const recipe = { firmware: { options, application: flags.application, bootloader: flags.bootloader, softdevice: flags.softdevice } };
      const ok = await runPerDeviceBatch(
        { devicesFile: flags.devices!, outDir: flags['out-dir'], nameTemplate: flags['name-template'], json: flags.json, keyFile: flags['key-file'], keyDir: flags['key-dir'], expectKeyDir: flags['expect-bootloader-key-dir'], signTimeout: flags['sign-timeout'], recipe },
        (t) => this.print(t),
      );
      if (!ok) process.exitCode = 1;
      return;
    }
    const spec: PackageSpec = { ...options, ...readPackageImages(flags) };
    const { generateFleetPackages } = await import('../../cli/pkgFleet'); // loaded only for --devices
    const check = checkBootloaderKeys(planPackage(spec).images, { expect: flags['expect-bootloader-key'], keyDir: flags['key-dir'] });
    process.stderr.write(quietWithoutKey(check));
    refuseMismatch(check);
    const allWritten = await generateFleetPackages({ ...flags, devices: flags.devices! }, spec, (t) => this.print(t));
    if (!allWritten) process.exitCode = 1;
  }
}
