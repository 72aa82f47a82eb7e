import fs from 'node:fs';
import path from 'node:path';
import { PackagePlan, PackageSpec, planPackage } from '../core/dfuPackage';
import { expandDeviceTemplate } from '../core/deviceId';
import { NrfutilError, UsageError } from '../core/errors';
import { readPackageForSigning } from '../core/resignPackage';
import { limitWarnings } from '../core/signingCheck';
import { readPackageImages } from '../cli/pkgGenerateOptions';

/**
 * How each device's plan is made from its own inputs ({device} in input paths), as plain
 * data: the batch makes it in whichever thread signs the device.
 */
export interface DevicePlanRecipe {
  /** pkg generate: the checked options and firmware paths, {device} in them. */
  firmware?: { options: Omit<PackageSpec, 'application' | 'bootloader' | 'softdevice'>; application?: string; bootloader?: string; softdevice?: string };
  /** pkg sign: the input package's path, {device} in it. */
  package?: string;
  /** --expect-bootloader-key-dir: each device's bootloader must trust its key from here. */
  expectKeyDir?: string;
}

const forDevice = (value: string | undefined, device: string) => (value === undefined ? undefined : expandDeviceTemplate(value, device));

/** The input package's bytes; a missing file is a usage error, as in pkg verify. */
export function readPackageInput(file: string): Uint8Array {
  if (!fs.existsSync(file)) throw new UsageError(`Invalid value for 'IN_ZIP': File '${file}' does not exist.`);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new NrfutilError(`Cannot read ${file} (${(e as NodeJS.ErrnoException).code})`);
  }
}

/** The public key file a device's bootloader must trust. */
function expectedKeyFile(dir: string, device: string): string {
  const candidates = [path.join(dir, `${device}.pem`), path.join(dir, `public_key_${device}.pem`)];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new NrfutilError(`no expected bootloader key for device ${device}: neither ${candidates.join(' nor ')} exists`);
  return found;
}

/**
 * One device's plan, its bootloader key checked; `warn` hears its warnings (init-command
 * limits, bootloader keys), each line naming the device, also when the device then fails.
 */
export async function planDevice(recipe: DevicePlanRecipe, device: string, warn: (text: string) => void): Promise<PackagePlan> {
  let plan: PackagePlan;
  if (recipe.package !== undefined) {
    const file = forDevice(recipe.package, device)!;
    plan = (await readPackageForSigning(readPackageInput(file), file)).plan;
  } else {
    const { options, application, bootloader, softdevice } = recipe.firmware!;
    plan = planPackage({ ...options, ...readPackageImages({ application: forDevice(application, device), bootloader: forDevice(bootloader, device), softdevice: forDevice(softdevice, device) }) });
  }
  warn(limitWarnings(plan).replace(/^Warning: /gm, `Warning: ${device}: `));
  if (recipe.expectKeyDir !== undefined) {
    // loaded only for this option (it brings the CLI's flag definitions along)
    const { checkBootloaderKeys, refuseMismatch } = await import('../cli/bootloaderKeyCheck');
    const check = checkBootloaderKeys(plan.images, { expect: expectedKeyFile(recipe.expectKeyDir, device) });
    for (const w of check.reports.flatMap((r) => r.warnings)) warn(`Warning: ${device}: ${w}\n`);
    refuseMismatch(check);
  }
  return plan;
}
