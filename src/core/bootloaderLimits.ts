import type { InitCommand } from './initPacket';

/**
 * The nRF5 SDK secure bootloader decodes init packets with nanopb into fixed-size
 * arrays (the SDK's dfu-cc.options, SDK 15.0 and 16.0); a packet that does not fit is
 * refused before anything else. sd_req holds 16 entries: the 4 in pc-nrfutil's own
 * options file is never applied by its Python decoder nor used by the SDK.
 */
export interface BootloaderLimits {
  sdReq: number;
  bootValidation: number;
  hashBytes: number;
  signatureBytes: number;
  bootValidationBytes: number;
  initPacketBytes: number;
}

export const BOOTLOADER_LIMITS: Readonly<BootloaderLimits> = {
  sdReq: 16,
  bootValidation: 3,
  hashBytes: 32,
  signatureBytes: 64,
  bootValidationBytes: 64,
  initPacketBytes: 512,
};

/** The limits of a bootloader built with another sd_req size (`--max-sd-req N`). */
export function bootloaderLimits(maxSdReq?: number): Readonly<BootloaderLimits> {
  return maxSdReq === undefined ? BOOTLOADER_LIMITS : { ...BOOTLOADER_LIMITS, sdReq: maxSdReq };
}

/**
 * Reading only, never verifying (pkg display): the decoder's rules without its sizes,
 * so a package the device would refuse for its size can still be shown, as nrfutil does.
 */
export const NO_SIZE_LIMITS: Readonly<BootloaderLimits> = {
  sdReq: Infinity,
  bootValidation: Infinity,
  hashBytes: Infinity,
  signatureBytes: Infinity,
  bootValidationBytes: Infinity,
  initPacketBytes: Infinity,
};

/** Why the bootloader's decoder would refuse this InitCommand; empty when it fits. */
export function initCommandLimitProblems(init: InitCommand, limits: Readonly<BootloaderLimits> = BOOTLOADER_LIMITS): string[] {
  const problems: string[] = [];
  if (init.sdReq.length > limits.sdReq)
    problems.push(`${init.sdReq.length} sd_req entries, the bootloader accepts at most ${limits.sdReq}`);
  if (init.bootValidation.length > limits.bootValidation)
    problems.push(`${init.bootValidation.length} boot validations, the bootloader accepts at most ${limits.bootValidation}`);
  if (Number.isFinite(limits.hashBytes) && init.hash.length !== limits.hashBytes) problems.push(`a ${init.hash.length}-byte hash, the bootloader needs ${limits.hashBytes}`);
  for (const bv of init.bootValidation)
    if (bv.bytes.length > limits.bootValidationBytes)
      problems.push(`${bv.bytes.length} boot-validation bytes, the bootloader accepts at most ${limits.bootValidationBytes}`);
  return problems;
}

/**
 * The largest flash of an nRF5 SDK device (nRF52840: 1 MiB). No image, and so no package
 * member, can be larger; inputs beyond it are refused before they are inflated or laid out.
 */
export const LARGEST_FLASH_BYTES = 1024 * 1024;

/** A package holds manifest.json and at most four images with their init packets. */
export const PACKAGE_ZIP_LIMITS = { memberBytes: LARGEST_FLASH_BYTES, members: 64 } as const;
