import { NrfutilError, UsageError } from './errors';
import { ValidationType } from './initPacket';
import { parseUint32, parseVersionString } from './integers';
import type { FirmwareImage } from './firmwareImage';
import type { Segment } from './intelHex';
import { backupOverlapsPage, buildSettingsPage, DEFAULT_BACKUP_OFFSET, SETTINGS_PAGE_ADDRESS, SettingsFamily, settingsSegments, SettingsVersion } from './settingsPage';
import { bootValidationValue } from './pkgOptions';

/** oclif enforces the required flags (family and both versions) before we see them. */
export interface SettingsGenerateFlags {
  family?: string;
  application?: string;
  'application-version'?: string;
  'application-version-string'?: string;
  'bootloader-version'?: string;
  'bl-settings-version'?: string;
  'start-address'?: string;
  'no-backup'?: boolean;
  'backup-address'?: string;
  'app-boot-validation'?: string;
  'sd-boot-validation'?: string;
  softdevice?: string;
}

export interface SettingsGenerateOptions {
  family: SettingsFamily;
  version: SettingsVersion;
  applicationVersion: number;
  bootloaderVersion: number;
  address: number;
  /** undefined with --no-backup. */
  backupAddress?: number;
  appValidation: ReturnType<typeof bootValidationValue>;
  sdValidation: ReturnType<typeof bootValidationValue>;
  needsKey: boolean;
}

export const BACKUP_NOTE =
  '\nNote: Generating a DFU settings page with backup page included.\n' +
  'This is only required for bootloaders from nRF5 SDK 15.1 and newer.\n' +
  'If you want to skip backup page generation, use --no-backup option.\n';

/**
 * nrfutil's checks up to where it loads the signing key, in its order, printing what it
 * prints on stdout along the way (`note`): the both-versions warning, the backup note,
 * the default-offset warning.
 */
export function validateBeforeKey(flags: SettingsGenerateFlags, hasKey: boolean, note: (text: string) => void): void {
  if (flags['application-version-string']) {
    parseVersionString(flags['application-version-string']);
    // nrfutil tests the option's value for truth: `none` (a string) warns, 0 does not
    if (flags['application-version'] !== undefined && parseUint32(flags['application-version'], '--application-version') !== 0)
      note('Warning: When both application-version-string and application-version are provided, only the string will be used.\n');
  }
  if (flags.application && flags['application-version'] === undefined && !flags['application-version-string'])
    throw new UsageError('--application-version or --application-version-string required with application image.');
  if (flags['no-backup'] && flags['backup-address'] !== undefined)
    throw new UsageError('Invalid value for backup_address: Bootloader DFU settings backup page cannot be specified if backup is disabled.');
  if (!flags['no-backup']) note(BACKUP_NOTE);
  // nrfutil warns whenever --start-address comes without --backup-address, --no-backup or not
  if (flags['start-address'] !== undefined && flags['backup-address'] === undefined)
    note('WARNING: Using default offset in order to calculate bootloader settings backup page\n');
  if (flags['bl-settings-version'] !== undefined && parseUint32(flags['bl-settings-version'], '--bl-settings-version') === 1 && (flags['app-boot-validation'] || flags['sd-boot-validation']))
    throw new UsageError('Invalid value for bl_settings_version: Bootloader settings version 1 does not support boot validation.');
  const ecdsa = 'VALIDATE_ECDSA_P256_SHA256';
  if (!hasKey && (flags['app-boot-validation'] === ecdsa || flags['sd-boot-validation'] === ecdsa))
    throw new UsageError('VALIDATE_ECDSA_P256_SHA256 boot validation needs a signing key: add --key-file (or --key-dir/--device).');
}

/** Whether nrfutil loads the key (and shows the debug-key banner): ECDSA boot validation. */
export function settingsNeedKey(flags: SettingsGenerateFlags): boolean {
  return flags['app-boot-validation'] === 'VALIDATE_ECDSA_P256_SHA256' || flags['sd-boot-validation'] === 'VALIDATE_ECDSA_P256_SHA256';
}

/** The checks nrfutil makes after loading the key, with its messages. */
export function validateAfterKey(flags: SettingsGenerateFlags): SettingsGenerateOptions {
  if (flags['app-boot-validation'] && !flags.application) throw new UsageError('--application hex file must be set when using --app_boot_validation');
  if (flags['sd-boot-validation'] && !flags.softdevice) throw new UsageError('--softdevice hex file must be set when using --sd_boot_validation');
  const family = flags.family as SettingsFamily;
  const versionNumber = parseUint32(flags['bl-settings-version']!, '--bl-settings-version');
  if (versionNumber !== 1 && versionNumber !== 2)
    throw new NrfutilError(`Unknown bootloader settings version ${flags['bl-settings-version']}: use --bl-settings-version 1 or 2`);
  const version: SettingsVersion = versionNumber;

  let applicationVersion = flags['application-version'] !== undefined ? parseUint32(flags['application-version'], '--application-version') : undefined;
  if (flags['application-version-string']) applicationVersion = parseVersionString(flags['application-version-string']);
  const address = (flags['start-address'] !== undefined ? parseUint32(flags['start-address'], '--start-address') : undefined) ?? SETTINGS_PAGE_ADDRESS[family];
  const backupAddress = flags['no-backup']
    ? undefined
    : ((flags['backup-address'] !== undefined ? parseUint32(flags['backup-address'], '--backup-address') : undefined) ?? address - DEFAULT_BACKUP_OFFSET);
  // Version 2 gives every image a boot validation; CRC unless told otherwise.
  const choose = (choice: string | undefined) => (version === 1 ? ValidationType.NO_VALIDATION : bootValidationValue(choice));
  const appValidation = choose(flags['app-boot-validation']);
  const sdValidation = choose(flags['sd-boot-validation']);
  return {
    family,
    version,
    applicationVersion: applicationVersion ?? 0,
    bootloaderVersion: parseUint32(flags['bootloader-version']!, '--bootloader-version') ?? 0,
    address,
    backupAddress,
    appValidation,
    sdValidation,
    needsKey: appValidation === ValidationType.VALIDATE_ECDSA_P256_SHA256 || sdValidation === ValidationType.VALIDATE_ECDSA_P256_SHA256,
  };
}

/**
 * The settings page (and its backup) as HEX segments, from checked options and images:
 * what `settings generate` writes and the library's createSettings returns. `option`
 * names the backup address as the caller's user spells it.
 */
export async function settingsPageSegments(
  options: SettingsGenerateOptions,
  images: { application?: FirmwareImage; softdevice?: FirmwareImage },
  sign: ((message: Uint8Array) => Promise<Uint8Array>) | undefined,
  option = '--backup-address',
): Promise<Segment[]> {
  const { application, softdevice } = images;
  const page = await buildSettingsPage(
    {
      version: options.version,
      applicationVersion: options.applicationVersion,
      bootloaderVersion: options.bootloaderVersion,
      application: application && { bin: application.bin, validation: options.appValidation },
      softdevice: softdevice && { bin: softdevice.bin, validation: options.sdValidation },
    },
    sign,
  );
  const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;
  if (options.backupAddress !== undefined && backupOverlapsPage(page, options.address, options.backupAddress))
    throw new UsageError(`Invalid value for '${option}': ${hex(options.backupAddress)} overlaps the settings page at ${hex(options.address)}; choose another page`);
  return settingsSegments(page, options.address, options.backupAddress);
}
