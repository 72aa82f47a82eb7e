import fs from 'node:fs';
import * as Flags from '@oclif/core/flags';
import { expandDeviceTemplate } from '../core/deviceId';
import { UsageError } from '../core/errors';
import type { DevicePlanRecipe } from '../fleet/devicePlan';
import { checkBatchOutput, perDeviceKey, progressBar, readBatchDevices } from './deviceBatchOptions';
import { providerContext, signTimeoutMs } from './keyOptions';

export const expectBootloaderKeyDirFlag = {
  'expect-bootloader-key-dir': Flags.string({
    description: 'With --devices: each device\'s bootloader must trust the key in DIR/<device>.pem (or DIR/public_key_<device>.pem, as keys display --devices writes); else that device fails',
  }),
};

export const hasDeviceTemplate = (...paths: (string | undefined)[]) => paths.some((p) => p?.includes('{device}'));

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
  /** How a device's plan is made from its own inputs (paths with {device} in them). */
  recipe: Omit<DevicePlanRecipe, 'expectKeyDir'>;
}

/**
 * A batch where every device has its own inputs (`--bootloader 'build/{device}/bl.hex'`,
 * `pkg sign 'in/{device}.zip'`) or its own expected bootloader key: each device's plan is
 * made, its bootloader key checked, then signed and verified by the same batch code as
 * the shared-plan fleet, devices signing concurrently. A device whose inputs fail gets one FAILED line; the rest go on.
 */
export async function runPerDeviceBatch(options: PerDeviceBatchOptions, print: (text: string) => void): Promise<boolean> {
  const nameTemplate = options.nameTemplate ?? '{device}.zip';
  const outDir = checkBatchOutput(options.outDir, nameTemplate);
  if (options.expectKeyDir !== undefined && !fs.existsSync(options.expectKeyDir))
    throw new UsageError(`Invalid value for '--expect-bootloader-key-dir': directory '${options.expectKeyDir}' does not exist.`);
  const keyFlags = { 'key-file': options.keyFile, 'key-dir': options.keyDir };
  const keyFor = perDeviceKey(keyFlags);
  const devices = readBatchDevices(options.devicesFile, keyFlags, keyFor);
  fs.mkdirSync(outDir, { recursive: true });
  const progress = progressBar(devices.length);
  let done = 0;
  // Each device is planned, checked, signed and written by the thread that signs it, as
  // many at once as the provider and the cores allow (NRFUTIL_JOBS=1: one by one); the
  // warnings and the report come out in list order all the same.
  // the batch machinery (worker threads) is loaded by a batch, not by every single run
  const [{ runBatch }, { fleetSummary }] = await Promise.all([import('../fleet/batch'), import('./pkgFleet')]);
  const results = await runBatch({
    recipe: { ...options.recipe, expectKeyDir: options.expectKeyDir },
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
