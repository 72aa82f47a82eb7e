import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import type { PackagePlan } from '../core/dfuPackage';
import { expandDeviceTemplate } from '../core/deviceId';
import { NrfutilError, UsageError } from '../core/errors';
import { limitWarnings } from '../core/signingCheck';
import { runBatch } from '../fleet/batch';
import type { KeyReference } from '../plugins/keyProvider';
import { checkBootloaderKeys, refuseMismatch } from './bootloaderKeyCheck';
import { perDeviceKey, progressBar, readDeviceList } from './deviceBatchOptions';
import { providerContext, signTimeoutMs } from './keyOptions';
import { fleetSummary } from './pkgFleet';

export const expectBootloaderKeyDirFlag = {
  'expect-bootloader-key-dir': Flags.string({
    description: 'With --devices: each device\'s bootloader must trust the key in DIR/<device>.pem (or DIR/public_key_<device>.pem, as keys display --devices writes); else that device fails',
  }),
};

export const hasDeviceTemplate = (...paths: (string | undefined)[]) => paths.some((p) => p?.includes('{device}'));

/** The public key file a device's bootloader must trust. */
function expectedKeyFile(dir: string, device: string): string {
  const candidates = [path.join(dir, `${device}.pem`), path.join(dir, `public_key_${device}.pem`)];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new NrfutilError(`no expected bootloader key for device ${device}: neither ${candidates.join(' nor ')} exists`);
  return found;
}

export interface PerDeviceBatchOptions {
  devicesFile: string;
  outDir?: string;
  nameTemplate?: string;
  json?: boolean;
  keyFile?: string;
  keyDir?: string;
  expectKeyDir?: string;
  /** --sign-timeout */
  signTimeout?: string;
  /** The device's package plan: its own inputs (paths with {device} expanded). */
  planFor: (device: string) => Promise<PackagePlan> | PackagePlan;
}

/**
 * A batch where every device has its own inputs (`--bootloader 'build/{device}/bl.hex'`,
 * `pkg sign 'in/{device}.zip'`) or its own expected bootloader key: each device's plan is
 * made, its bootloader key checked, then signed and verified by the same batch code as
 * the shared-plan fleet, devices signing concurrently. A device whose inputs fail gets one FAILED line; the rest go on.
 */
export async function runPerDeviceBatch(options: PerDeviceBatchOptions, print: (text: string) => void): Promise<boolean> {
  const outDir = options.outDir;
  if (!outDir) throw new UsageError('--devices needs --out-dir DIR for the per-device files');
  const nameTemplate = options.nameTemplate ?? '{device}.zip';
  if (!nameTemplate.includes('{device}') || /[\\/]/.test(nameTemplate))
    throw new UsageError(`Invalid value for '--name-template': '${nameTemplate}' must contain {device} and no path separator`);
  if (options.expectKeyDir !== undefined && !fs.existsSync(options.expectKeyDir))
    throw new UsageError(`Invalid value for '--expect-bootloader-key-dir': directory '${options.expectKeyDir}' does not exist.`);
  const keyFor: (device: string) => KeyReference = perDeviceKey({ 'key-file': options.keyFile, 'key-dir': options.keyDir });
  const { devices, duplicates } = readDeviceList(options.devicesFile);
  for (const d of duplicates) process.stderr.write(`Warning: device ${d} is listed more than once in ${options.devicesFile}; it gets one package\n`);
  if (devices.length) keyFor(devices[0]);
  fs.mkdirSync(outDir, { recursive: true });
  const progress = progressBar(devices.length);
  let done = 0;
  // Each device's plan is made in list order (its warnings too); signing runs alongside,
  // as many devices at once as the provider and the cores allow (NRFUTIL_JOBS=1: one by one).
  const planFor = async (device: string) => {
    const plan = await options.planFor(device);
    process.stderr.write(limitWarnings(plan).replace(/^Warning: /gm, `Warning: ${device}: `));
    if (options.expectKeyDir !== undefined) {
      const check = checkBootloaderKeys(plan.images, { expect: expectedKeyFile(options.expectKeyDir, device) });
      for (const w of check.reports.flatMap((r) => r.warnings)) process.stderr.write(`Warning: ${device}: ${w}\n`);
      refuseMismatch(check);
    }
    return plan;
  };
  const results = await runBatch({
    planFor,
    devices,
    keyFor,
    options: { outDir, nameTemplate, mode: 'zip' },
    ctx: providerContext(),
    signTimeoutMs: signTimeoutMs(options.signTimeout),
    onResult: () => progress(++done),
  });
  if (options.json) print(JSON.stringify({ outDir, devices: results }, null, 2) + '\n');
  else print(fleetSummary(results, outDir, 'packages'));
  return results.every((r) => r.status === 'ok');
}

/** A path option with {device} expanded for one device. */
export const forDevice = (value: string | undefined, device: string) => (value === undefined ? undefined : expandDeviceTemplate(value, device));
