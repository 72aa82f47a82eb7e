import { UsageError } from './errors';
import { NO_SD_REQUIREMENT, PackageSpec } from './dfuPackage';
import { ValidationType, ValidationTypeValue } from './initPacket';
import { parseIntList, parseUint32, parseVersionString } from './integers';
import { DEBUG_MODE_BANNER } from './banners';

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

/** The one value of a list option (nrfutil refuses the option twice; its hint says sd_req for both). */
function listText(values: string[] | undefined, option: string): string | undefined {
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1)
    throw new UsageError(`Invalid value for sd_req: Please specify SoftDevice requirements as a comma-separated list: ${option} 0xXXXX,0xYYYY,...`);
  return values[0] === 'none' ? undefined : values[0];
}

export interface ValidatedPkgOptions {
  spec: Omit<PackageSpec, 'application' | 'bootloader' | 'softdevice'>;
  /** What nrfutil prints on stdout along the way, in order (also given to `note`). */
  warnings: string[];
}

/**
 * nrfutil 6.1.7's checks on `pkg generate` options, in its order, with its messages
 * (usage errors, exit 2, except a bad --sd-req/--sd-id element: exit 1, as nrfutil,
 * which parses those lists last). `note` receives what nrfutil prints on stdout along the
 * way (the version warning, the debug-mode banner), in the same order. Firmware files
 * are read after these pass.
 */
export function validatePkgOptions(flags: PkgGenerateFlags, hasKey: boolean, onNote: (text: string) => void = () => {}): ValidatedPkgOptions {
  const warnings: string[] = [];
  const note = (text: string) => {
    warnings.push(text);
    onNote(text);
  };
  const debug = flags['debug-mode'] ?? false;
  const { application, bootloader, softdevice } = flags;
  const externalApp = flags['external-app'] ?? false;
  if (application && bootloader && !softdevice) throw new UsageError('Invalid combination: use two .zip packages instead.');

  const hwVersion = flags['hw-version'] !== undefined ? parseUint32(flags['hw-version'], '--hw-version') : undefined;
  const appVersionGiven = flags['application-version'] !== undefined ? parseUint32(flags['application-version'], '--application-version') : undefined;
  let appVersion = appVersionGiven;
  const blVersion = flags['bootloader-version'] !== undefined ? parseUint32(flags['bootloader-version'], '--bootloader-version') : undefined;
  if (flags['application-version-string']) {
    appVersion = parseVersionString(flags['application-version-string']);
    // nrfutil tests the option's value for truth: `none` (a string) warns, 0 does not
    if (flags['application-version'] !== undefined && appVersionGiven !== 0)
      note('Warning: When both application-version-string and application-version are provided, only the string will be used.\n');
  }
  const sdReqText = listText(flags['sd-req'], '--sd-req');
  const sdIdText = listText(flags['sd-id'], '--sd-id');

  if (appVersion !== undefined && !application) throw new UsageError('Application version with no image.');
  if (blVersion !== undefined && !bootloader) throw new UsageError('Bootloader version with no image.');
  if (debug) note(DEBUG_MODE_BANNER);
  if (hwVersion === undefined && !debug) throw new UsageError('--hw-version required.');
  if (sdReqText === undefined && !debug && !externalApp) throw new UsageError('--sd-req required.');
  if (application && appVersion === undefined && !debug) throw new UsageError('--application-version or --application-version-string required with application image.');
  if (bootloader && blVersion === undefined && !debug) throw new UsageError('--bootloader-version required with bootloader image.');
  if (softdevice && application && sdIdText === undefined) throw new UsageError('--sd-id required with softdevice and application images.');
  if (externalApp && !application) throw new UsageError('--external-app requires an application.');
  if (externalApp && (softdevice || bootloader)) throw new UsageError('--external-app is only possible for application only DFU packages.');
  const sdReq = sdReqText !== undefined ? parseIntList(sdReqText, '--sd-req') : undefined;
  const sdId = sdIdText !== undefined ? parseIntList(sdIdText, '--sd-id') : undefined;

  // nrfutil reads a boot validation only for the image it belongs to; without that
  // image the option is ignored (so is our check that ECDSA has a key).
  const appBv = application ? bootValidationValue(flags['app-boot-validation']) : ValidationType.VALIDATE_GENERATED_CRC;
  const sdBv = softdevice ? bootValidationValue(flags['sd-boot-validation']) : ValidationType.VALIDATE_GENERATED_CRC;
  if (!hasKey && (appBv === ValidationType.VALIDATE_ECDSA_P256_SHA256 || sdBv === ValidationType.VALIDATE_ECDSA_P256_SHA256))
    throw new UsageError('VALIDATE_ECDSA_P256_SHA256 boot validation needs a signing key: add --key-file (or --key-dir/--device).');

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
      externalApp,
    },
  };
}
