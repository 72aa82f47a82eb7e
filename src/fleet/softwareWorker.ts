import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { NrfutilError } from '../core/errors';
import type { PackagePlan } from '../core/dfuPackage';
import { openPemFile } from '../plugins/pemFile';
import { BatchOutputOptions, buildDeviceFile, DeviceFileWriter, DeviceResult, failure } from './deviceOutput';

/** What the batch hands a worker: software (PEM) keys only, never an HSM session. */
export interface SoftwareWorkerInput {
  plan: PackagePlan;
  devices: { device: string; keyPath: string }[];
  options: BatchOutputOptions;
  env: NodeJS.ProcessEnv;
}

async function run(input: SoftwareWorkerInput): Promise<void> {
  const ctx = { env: input.env, config: {}, warn: () => undefined };
  const report = (result: DeviceResult) => parentPort!.postMessage(result);
  const writer = new DeviceFileWriter(input.options.outDir, report);
  for (const { device, keyPath } of input.devices) {
    try {
      if (!fs.existsSync(keyPath)) throw new NrfutilError(`No key for device ${device}: ${keyPath} does not exist`);
      await writer.add(await buildDeviceFile(device, input.plan, await openPemFile(keyPath, ctx), input.options));
    } catch (e) {
      report(failure(device, e));
    }
  }
  await writer.finish();
}

if (parentPort) void run(workerData as SoftwareWorkerInput);
