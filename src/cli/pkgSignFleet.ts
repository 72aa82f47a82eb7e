import type { PackagePlan } from '../core/dfuPackage';
import { runFleetPlan } from './pkgFleet';

export interface SignFleetFlags {
  devices: string;
  'out-dir'?: string;
  'name-template'?: string;
  json?: boolean;
  'key-file'?: string;
  'key-dir'?: string;
  'sign-timeout'?: string;
}

/**
 * `pkg sign IN.zip --devices FILE`: the package's recovered plan goes through the same
 * batch as `pkg generate --devices` (same report, workers, verify-before-write), so
 * each device's zip equals what `pkg generate --devices` writes for it.
 */
export async function signFleetPackages(flags: SignFleetFlags, plan: PackagePlan, print: (text: string) => void): Promise<boolean> {
  return runFleetPlan(flags, () => plan, print);
}
