import { UsageError } from './errors';
import { loadFirmwareImage } from './firmwareImage';
import { writeIntelHex } from './intelHex';
import type { BootValidation, FirmwareFile } from './libraryPackage';
import type { SigningKey } from './libraryKeys';
import { SETTINGS_FAMILIES, SettingsFamily } from './settingsPage';
import { SettingsGenerateFlags, settingsPageSegments, validateAfterKey, validateBeforeKey } from './settingsOptions';

/** `settings generate`'s options, camelCase; the same defaults and checks as the command line. */
export interface CreateSettingsOptions {
  family: SettingsFamily;
  application?: FirmwareFile;
  softdevice?: FirmwareFile;
  applicationVersion?: number;
  applicationVersionString?: string;
  bootloaderVersion: number;
  /** 1 (SDK 12.0-15.2) or 2 (SDK 15.3 and newer). */
  blSettingsVersion: number;
  startAddress?: number;
  noBackup?: boolean;
  backupAddress?: number;
  appBootValidation?: BootValidation;
  sdBootValidation?: BootValidation;
  /** Needed for VALIDATE_ECDSA_P256_SHA256. */
  key?: SigningKey;
}

const uint = (value: number | undefined, option: string): string | undefined => {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new UsageError(`Invalid value for '${option}': ${String(value)} is not an integer from 0 to 0xFFFFFFFF`);
  return String(value);
};

/** The Intel HEX text `settings generate` writes for the same inputs. */
export async function createSettings(options: CreateSettingsOptions): Promise<string> {
  if (!SETTINGS_FAMILIES.includes(options?.family)) throw new UsageError(`Invalid value for 'family': give one of ${SETTINGS_FAMILIES.join(', ')}`);
  if (options.bootloaderVersion === undefined) throw new UsageError("Missing option 'bootloaderVersion'");
  if (options.blSettingsVersion === undefined) throw new UsageError("Missing option 'blSettingsVersion'");
  const flags: SettingsGenerateFlags = {
    family: options.family,
    application: options.application?.name,
    softdevice: options.softdevice?.name,
    'application-version': uint(options.applicationVersion, 'applicationVersion'),
    'application-version-string': options.applicationVersionString,
    'bootloader-version': uint(options.bootloaderVersion, 'bootloaderVersion'),
    'bl-settings-version': uint(options.blSettingsVersion, 'blSettingsVersion'),
    'start-address': uint(options.startAddress, 'startAddress'),
    'no-backup': options.noBackup,
    'backup-address': uint(options.backupAddress, 'backupAddress'),
    'app-boot-validation': options.appBootValidation,
    'sd-boot-validation': options.sdBootValidation,
  };
  const key = options.key;
  validateBeforeKey(flags, key !== undefined, () => undefined);
  const settings = validateAfterKey(flags);
  const image = (file: FirmwareFile | undefined) => file && loadFirmwareImage(file.name, file.data);
  const application = image(options.application);
  const softdevice = image(options.softdevice);
  return writeIntelHex(await settingsPageSegments(settings, { application, softdevice }, key && ((message) => key.sign(message)), 'backupAddress'));
}
