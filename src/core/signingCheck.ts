import { BOOTLOADER_LIMITS, BootloaderLimits, initCommandLimitProblems, NO_SIZE_LIMITS } from './bootloaderLimits';
import type { PackageFiles } from './dfuPackage';
import type { InitCommand } from './initPacket';
import { verifyPackageFiles } from './packageVerify';
import type { PublicKeyXY } from './signature';

/**
 * What verify-before-write holds against a freshly signed package: signature, hashes,
 * sizes, types and boot validations, everything except the init-command limits (e.g.
 * 17 --sd-req ids), which `pkg generate` writes with a warning (limitWarnings). One device
 * or many, generated or re-signed: the same rule, the same warning.
 */
export function signedPackageProblems(files: PackageFiles, source: string, publicKey: PublicKeyXY): string[] {
  const verdict = verifyPackageFiles(files, source, publicKey, NO_SIZE_LIMITS);
  return [...verdict.problems, ...verdict.images.flatMap((i) => i.problems)];
}

/** `pkg generate`'s warning for each init command the bootloader's decoder would refuse. */
export function limitWarnings(plan: { images: { datName: string; init: InitCommand }[] }, limits: Readonly<BootloaderLimits> = BOOTLOADER_LIMITS): string {
  return plan.images
    .flatMap((image) => initCommandLimitProblems(image.init, limits).map((p) => `Warning: ${image.datName} will have ${p}; the nRF5 bootloader will reject this package.\n`))
    .join('');
}
