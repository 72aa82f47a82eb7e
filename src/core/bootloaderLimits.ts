import type { InitCommand } from './initPacket';

/**
 * The nRF5 SDK secure bootloader decodes init packets with nanopb into fixed-size
 * arrays (dfu-cc.options); a packet that does not fit is rejected before anything else.
 */
export const BOOTLOADER_LIMITS = {
  sdReq: 4,
  bootValidation: 3,
  hashBytes: 32,
  signatureBytes: 64,
  bootValidationBytes: 64,
} as const;

/** Why the bootloader's decoder would refuse this InitCommand; empty when it fits. */
export function initCommandLimitProblems(init: InitCommand): string[] {
  const problems: string[] = [];
  if (init.sdReq.length > BOOTLOADER_LIMITS.sdReq)
    problems.push(`${init.sdReq.length} sd_req entries, the bootloader accepts at most ${BOOTLOADER_LIMITS.sdReq}`);
  if (init.bootValidation.length > BOOTLOADER_LIMITS.bootValidation)
    problems.push(`${init.bootValidation.length} boot validations, the bootloader accepts at most ${BOOTLOADER_LIMITS.bootValidation}`);
  if (init.hash.length !== BOOTLOADER_LIMITS.hashBytes) problems.push(`a ${init.hash.length}-byte hash, the bootloader needs ${BOOTLOADER_LIMITS.hashBytes}`);
  for (const bv of init.bootValidation)
    if (bv.bytes.length > BOOTLOADER_LIMITS.bootValidationBytes)
      problems.push(`${bv.bytes.length} boot-validation bytes, the bootloader accepts at most ${BOOTLOADER_LIMITS.bootValidationBytes}`);
  return problems;
}
