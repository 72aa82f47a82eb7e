import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { NrfutilError } from '../core/errors';
import type { PackagePlan } from '../core/dfuPackage';
import { openPemFile } from '../plugins/pemFile';
import { BatchOutputOptions, DeviceResult, failure, writeDeviceOutput } from './deviceOutput';

/** What the batch hands a worker: software (PEM) keys only, never an HSM session. */
export interface SoftwareWorkerInput {
  plan: PackagePlan;
  devices: { device: string; keyPath: string }[];
  options: BatchOutputOptions;
  env: NodeJS.ProcessEnv;
}

async function run(input: SoftwareWorkerInput): Promise<void> {
  const ctx = { env: input.env, config: {}, warn: () => undefined };
  for (const { device, keyPath } of input.devices) {
    let result: DeviceResult;
    try {
      if (!fs.existsSync(keyPath)) throw new NrfutilError(`No key for device ${device}: ${keyPath} does not exist`);
      result = await writeDeviceOutput(device, input.plan, await openPemFile(keyPath, ctx), input.options);
    } catch (e) {
      result = failure(device, e);
    }
    parentPort!.postMessage(result);
  }
}

if (parentPort) void run(workerData as SoftwareWorkerInput);
