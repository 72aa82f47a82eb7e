import { UsageError } from './errors';
import { NO_SD_REQUIREMENT, PackageSpec } from './dfuPackage';
import { ValidationType, ValidationTypeValue } from './initPacket';
import { parseIntList, parseUint32, parseVersionString } from './integers';

export const BOOT_VALIDATION_CHOICES = ['NO_VALIDATION', 'VALIDATE_GENERATED_CRC', 'VALIDATE_GENERATED_SHA256', 'VALIDATE_ECDSA_P256_SHA256'] as const;

/** CLI names → init-packet values (nrfutil calls VALIDATE_SHA256 "GENERATED"). */
export function bootValidationValue(choice: string | undefined): ValidationTypeValue {
  switch (choice) {
    case 'NO_VALIDATION':
      return ValidationType.NO_VALIDATION;
    case 'VALIDATE_GENERATED_SHA256':
      return ValidationType.VALIDATE_SHA256;
    case 'VALIDATE_ECDSA_P256_SHA256':
      return ValidationType.VALIDATE_ECDSA_P256_SHA256;
    default:
      return ValidationType.VALIDATE_GENERATED_CRC;
  }
}

export interface PkgGenerateFlags {
  'debug-mode'?: boolean;
  application?: string;
  'application-version'?: string;
  'application-version-string'?: string;
  bootloader?: string;
  'bootloader-version'?: string;
  'hw-version'?: string;
  'sd-req'?: string[];
  'sd-id'?: string[];
  softdevice?: string;
  'sd-boot-validation'?: string;
  'app-boot-validation'?: string;
  'external-app'?: boolean;
}

function listOption(values: string[] | undefined, name: string, option: string): number[] | undefined {
  if (values === undefined) return undefined;
  if (values.length > 1)
    throw new UsageError(`Invalid value for ${name}: Please specify SoftDevice requirements as a comma-separated list: ${option} 0xXXXX,0xYYYY,...`);
  return parseIntList(values[0], option);
}

export interface ValidatedPkgOptions {
  spec: Omit<PackageSpec, 'application' | 'bootloader' | 'softdevice'>;
  warnings: string[];
}

/**
 * nrfutil 6.1.7's checks on `pkg generate` options, in its order, with its messages
 * (all usage errors, exit 2). Firmware files are read after these pass.
 */
export function validatePkgOptions(flags: PkgGenerateFlags, hasKey: boolean): ValidatedPkgOptions {
  const warnings: string[] = [];
  const debug = flags['debug-mode'] ?? false;
  const hwVersion = flags['hw-version'] !== undefined ? parseUint32(flags['hw-version'], '--hw-version') : undefined;
  let appVersion = flags['application-version'] !== undefined ? parseUint32(flags['application-version'], '--application-version') : undefined;
  const blVersion = flags['bootloader-version'] !== undefined ? parseUint32(flags['bootloader-version'], '--bootloader-version') : undefined;
  if (flags['application-version-string'] !== undefined) {
    const fromString = parseVersionString(flags['application-version-string']);
    if (appVersion !== undefined) warnings.push('Warning: When both application-version-string and application-version are provided, only the string will be used.\n');
    appVersion = fromString;
  }
  const sdReq = listOption(flags['sd-req'], 'sd_req', '--sd-req');
  const sdId = listOption(flags['sd-id'], 'sd_id', '--sd-id');
  const { application, bootloader, softdevice } = flags;

  if (application && bootloader && !softdevice) throw new UsageError('Invalid combination: use two .zip packages instead.');
  if (hwVersion === undefined && !debug) throw new UsageError('--hw-version required.');
  if (sdReq === undefined && !debug && !flags['external-app']) throw new UsageError('--sd-req required.');
  if (application && appVersion === undefined && !debug) throw new UsageError('--application-version or --application-version-string required with application image.');
  if (bootloader && blVersion === undefined && !debug) throw new UsageError('--bootloader-version required with bootloader image.');
  if (appVersion !== undefined && !application) throw new UsageError('Application version with no image.');
  if (blVersion !== undefined && !bootloader) throw new UsageError('Bootloader version with no image.');
  if (softdevice && application && sdId === undefined) throw new UsageError('--sd-id required with softdevice and application images.');
  if (flags['external-app'] && (softdevice || bootloader)) throw new UsageError('--external-app is only possible for application only DFU packages.');
  const appBv = bootValidationValue(flags['app-boot-validation']);
  const sdBv = bootValidationValue(flags['sd-boot-validation']);
  if (!hasKey && (appBv === ValidationType.VALIDATE_ECDSA_P256_SHA256 || sdBv === ValidationType.VALIDATE_ECDSA_P256_SHA256))
    throw new UsageError('VALIDATE_ECDSA_P256_SHA256 boot validation needs a signing key: add --key-file (or --key-dir/--device).');
  if (flags['app-boot-validation'] && !application) throw new UsageError('--app-boot-validation given without --application.');
  if (flags['sd-boot-validation'] && !softdevice) throw new UsageError('--sd-boot-validation given without --softdevice.');

  return {
    warnings,
    spec: {
      applicationVersion: appVersion ?? 0xffffffff,
      bootloaderVersion: blVersion ?? 0xffffffff,
      hwVersion: hwVersion ?? 0xffffffff,
      sdReq: sdReq ?? [NO_SD_REQUIREMENT],
      sdId,
      appBootValidation: appBv,
      sdBootValidation: sdBv,
      isDebug: debug,
      externalApp: flags['external-app'] ?? false,
    },
  };
}
