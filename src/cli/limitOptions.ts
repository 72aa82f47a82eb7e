import { bootloaderLimits, BOOTLOADER_LIMITS, BootloaderLimits } from '../core/bootloaderLimits';
import { UsageError } from '../core/errors';
import { parseNrfInt } from '../core/integers';
import { intFlag } from './intFlag';

/** `--max-sd-req N`: for bootloaders built with another sd_req array size than the SDK's 16. */
export const limitFlags = {
  'max-sd-req': intFlag(`The most sd_req entries the target bootloader holds (default ${BOOTLOADER_LIMITS.sdReq}, the nRF5 SDK's)`),
};

export function limitsFromFlags(flags: { 'max-sd-req'?: string }): Readonly<BootloaderLimits> {
  const text = flags['max-sd-req'];
  if (text === undefined) return BOOTLOADER_LIMITS;
  const value = parseNrfInt(text, '--max-sd-req');
  if (value === undefined || value < 1 || value > 255)
    throw new UsageError(`Invalid value for '--max-sd-req': ${text} (give the bootloader's sd_req array size, 1 to 255)`);
  return bootloaderLimits(value);
}
