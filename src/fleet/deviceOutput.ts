import { createHash } from 'node:crypto';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomicFile';
import { PackagePlan, signPlan } from '../core/dfuPackage';
import { expandDeviceTemplate } from '../core/deviceId';
import { NrfutilError } from '../core/errors';
import { writePackageZip } from '../core/packageZip';
import { isPlainAsciiName, writeStoredZip } from '../core/storedZip';
import { verifyPackageFiles } from '../core/packageVerify';
import type { KeyProvider } from '../plugins/keyProvider';

export type BatchMode = 'zip' | 'dat';

export interface BatchOutputOptions {
  outDir: string;
  /** `{device}.zip` by default; `{device}.dat` in dat-only mode. */
  nameTemplate: string;
  mode: BatchMode;
}

/** One line of the batch report. */
export interface DeviceResult {
  device: string;
  status: 'ok' | 'failed';
  file?: string;
  sha256?: string;
  error?: string;
}

/**
 * Signs the shared plan with one device's key, checks the result against that key's
 * public key as the bootloader would, and only then writes it.
 */
export async function writeDeviceOutput(device: string, plan: PackagePlan, key: KeyProvider, options: BatchOutputOptions): Promise<DeviceResult> {
  if (!key.sign) throw new NrfutilError(`${key.label} holds only a public key; signing needs the private key`);
  const files = await signPlan(plan, (m) => key.sign!(m));
  const verdict = verifyPackageFiles(files, device, await key.publicKey());
  if (!verdict.accepted) throw new NrfutilError(`the package does not verify with the device's key: ${[...verdict.problems, ...verdict.images.flatMap((i) => i.problems)][0]}`);
  const bytes = options.mode === 'dat' ? files.get(plan.images[0].datName)! : [...files.keys()].every(isPlainAsciiName) ? writeStoredZip(files) : await writePackageZip(files);
  const file = expandDeviceTemplate(options.nameTemplate, device);
  writeFileAtomic(path.join(options.outDir, file), bytes);
  return { device, status: 'ok', file, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export function failure(device: string, e: unknown): DeviceResult {
  return { device, status: 'failed', error: (e as Error).message.split('\n')[0] };
}
