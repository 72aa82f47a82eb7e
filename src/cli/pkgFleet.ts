import path from 'node:path';
import { ensureDirectory, writeFileAtomic } from '../node/atomicFile';
import { PackagePlan, PackageSpec, planPackage } from '../core/dfuPackage';
import { UsageError } from '../core/errors';
import { expandDeviceTemplate } from '../core/deviceId';
import { limitWarnings } from '../core/signingCheck';
import { DeviceResult } from '../fleet/deviceOutput';
import { runBatch } from '../fleet/batch';
import { checkBatchOutput, perDeviceKey, progressBar, readBatchDevices } from './deviceBatchOptions';
import { providerContext, signTimeoutMs } from './keyOptions';
import { limitsFromFlags } from './limitOptions';

export interface PkgFleetFlags {
  devices: string;
  'out-dir'?: string;
  'name-template'?: string;
  'dat-only'?: boolean;
  json?: boolean;
  'key-file'?: string;
  'key-dir'?: string;
  'max-sd-req'?: string;
  'sign-timeout'?: string;
}

export function fleetSummary(results: DeviceResult[], outDir: string, what: string): string {
  const ok = results.filter((r) => r.status === 'ok');
  const failed = results.filter((r) => r.status === 'failed');
  let text = `${ok.length} of ${results.length} ${what} written to ${outDir}\n`;
  for (const f of failed) text += `${f.device}: FAILED: ${f.error}\n`;
  return text;
}

/**
 * `--json`: one record per device, `{device, file, sha256, status, error}`, the file as
 * a path under --out-dir as the user gave it (what a script opens next).
 */
export function fleetJson(results: DeviceResult[], outDir: string): string {
  const records = results.map(({ device, file, sha256, status, error }) => ({
    device,
    ...(file !== undefined ? { file: path.join(outDir, file) } : {}),
    ...(sha256 !== undefined ? { sha256 } : {}),
    status,
    ...(error !== undefined ? { error } : {}),
  }));
  return JSON.stringify(records, null, 2) + '\n';
}

/**
 * `pkg generate --devices`: the firmware is read, normalised and hashed once (one plan);
 * each device gets its own signatures, checked with its public key before writing.
 */
export async function generateFleetPackages(flags: PkgFleetFlags, spec: PackageSpec, print: (text: string) => void): Promise<boolean> {
  return runFleetPlan(flags, () => planPackage(spec), print);
}

/**
 * One batch for every command that makes a package per device (pkg generate --devices,
 * pkg sign --devices): the same checks before any output, the same warnings, report and
 * exit; only where the plan comes from differs.
 */
export async function runFleetPlan(flags: PkgFleetFlags, makePlan: () => PackagePlan, print: (text: string) => void): Promise<boolean> {
  const mode = flags['dat-only'] ? 'dat' : 'zip';
  const nameTemplate = flags['name-template'] ?? `{device}.${mode}`;
  const outDir = checkBatchOutput(flags['out-dir'], nameTemplate);
  const keyFor = perDeviceKey(flags);
  const timeoutMs = signTimeoutMs(flags['sign-timeout']);
  const devices = readBatchDevices(flags.devices, flags, keyFor);
  // as in a single run: init-command limits are one warning, not a failure per device
  const plan = makePlan();
  process.stderr.write(limitWarnings(plan, limitsFromFlags(flags)));
  if (mode === 'dat') {
    if (plan.images.length !== 1) throw new UsageError('--dat-only makes one init packet per device: give a single image (e.g. --application only)');
    const shared = plan.images[0].binName;
    const clash = devices.find((d) => expandDeviceTemplate(nameTemplate, d) === shared);
    if (clash !== undefined) throw new UsageError(`Invalid value for '--name-template': '${nameTemplate}' names device ${clash}'s init packet ${shared}, the shared firmware file`);
    ensureDirectory(outDir, '--out-dir');
    writeFileAtomic(path.join(outDir, plan.images[0].binName), plan.images[0].bin);
  }
  const progress = progressBar(devices.length);
  let done = 0;
  const results = await runBatch({ plan, devices, keyFor, options: { outDir, nameTemplate, mode }, ctx: providerContext(), signTimeoutMs: timeoutMs, onResult: () => progress(++done) });
  if (flags.json) print(fleetJson(results, outDir));
  else print(fleetSummary(results, outDir, mode === 'zip' ? 'packages' : 'init packets'));
  return results.every((r) => r.status === 'ok');
}
