import { initCommandLimitProblems } from './bootloaderLimits';
import type { InitCommand } from './initPacket';
import type { PackageVerdict } from './packageVerify';

/**
 * What verify-before-write holds against a freshly signed package: every problem except
 * the init-command limits (e.g. five --sd-req ids), which `pkg generate` writes with a
 * warning. One device or many, generated or re-signed: the same rule, the same warning.
 */
export function signingProblems(verdict: PackageVerdict, plan: { images: { datName: string; init: InitCommand }[] }): string[] {
  const limits = new Set(plan.images.flatMap((image) => initCommandLimitProblems(image.init).map((p) => `${image.datName} has ${p}`)));
  return [...verdict.problems, ...verdict.images.flatMap((i) => i.problems)].filter((p) => !limits.has(p));
}

/** `pkg generate`'s warning for each init command the bootloader's decoder would refuse. */
export function limitWarnings(plan: { images: { datName: string; init: InitCommand }[] }): string {
  return plan.images
    .flatMap((image) => initCommandLimitProblems(image.init).map((p) => `Warning: ${image.datName} will have ${p}; the nRF5 bootloader will reject this package.\n`))
    .join('');
}
