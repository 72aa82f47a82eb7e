import type { PackagePlan } from '../core/dfuPackage';
import { UsageError } from '../core/errors';
import { limitWarnings } from '../core/signingCheck';
import { runBatch } from '../fleet/batch';
import { perDeviceKey, progressBar, readDeviceList } from './deviceBatchOptions';
import { providerContext } from './keyOptions';
import { fleetSummary } from './pkgFleet';

export interface SignFleetFlags {
  devices: string;
  'out-dir'?: string;
  'name-template'?: string;
  json?: boolean;
  'key-file'?: string;
  'key-dir'?: string;
}

/**
 * `pkg sign IN.zip --devices FILE`: the package's recovered plan goes through the same
 * batch as `pkg generate --devices` (same report, workers, verify-before-write), so
 * each device's zip equals what `pkg generate --devices` writes for it.
 */
export async function signFleetPackages(flags: SignFleetFlags, plan: PackagePlan, print: (text: string) => void): Promise<boolean> {
  const outDir = flags['out-dir'];
  if (!outDir) throw new UsageError('--devices needs --out-dir DIR for the per-device files');
  const nameTemplate = flags['name-template'] ?? '{device}.zip';
  if (!nameTemplate.includes('{device}') || /[\\/]/.test(nameTemplate))
    throw new UsageError(`Invalid value for '--name-template': '${nameTemplate}' must contain {device} and no path separator`);
  const keyFor = perDeviceKey(flags);
  const { devices, duplicates } = readDeviceList(flags.devices);
  for (const d of duplicates) process.stderr.write(`Warning: device ${d} is listed more than once in ${flags.devices}; it gets one package\n`);
  // A key reference that cannot work for any device is one usage error, before any output.
  if (devices.length) keyFor(devices[0]);
  process.stderr.write(limitWarnings(plan));
  const progress = progressBar(devices.length);
  let done = 0;
  const results = await runBatch({ plan, devices, keyFor, options: { outDir, nameTemplate, mode: 'zip' }, ctx: providerContext(), onResult: () => progress(++done) });
  if (flags.json) print(JSON.stringify({ outDir, devices: results }, null, 2) + '\n');
  else print(fleetSummary(results, outDir, 'packages'));
  return results.every((r) => r.status === 'ok');
}
