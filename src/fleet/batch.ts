import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PackagePlan } from '../core/dfuPackage';
import { FatalError, NrfutilError } from '../core/errors';
import { ensureDirectory } from '../node/atomicFile';
import type { KeyProvider, KeyReference, ProviderContext } from '../plugins/keyProvider';
import { factoryFor, openKeyProvider } from '../plugins/registry';
import { deviceKeyPath } from '../plugins/deviceDir';
import { BatchOutputOptions, buildDeviceFile, DeviceFileWriter, DeviceResult, failure } from './deviceOutput';
import type { SoftwareWorkerInput } from './softwareWorker';
import { onInterrupt, watchDirectory } from '../node/temporaryFiles';

export interface BatchInput {
  plan: PackagePlan;
  devices: string[];
  keyFor: (device: string) => KeyReference;
  options: BatchOutputOptions;
  ctx: ProviderContext;
  /** Called after each device (progress bar). */
  onResult?: (result: DeviceResult) => void;
  /** Worker threads for PEM keys; 0 signs in this thread. Default: one per core. */
  workers?: number;
}

/** The PEM file behind a reference, when the key is in software (worker-eligible). */
function softwareKeyPath(ref: KeyReference): string | undefined {
  const name = factoryFor(ref).name;
  if (name === 'device-dir') return deviceKeyPath(ref.keyDir!, ref.device!);
  if (name === 'pem-file') return ref.keyFile;
  return undefined;
}

function runWorker(input: SoftwareWorkerInput, onResult: (r: DeviceResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'softwareWorker.js'), { workerData: input });
    // On Ctrl-C or SIGTERM the worker stops before its temporary files are swept.
    const forget = onInterrupt(() => worker.terminate());
    worker.on('message', onResult);
    worker.on('error', reject);
    worker.on('exit', (code) => {
      forget();
      if (code === 0) resolve();
      else reject(new NrfutilError(`a signing worker stopped (exit ${code})`));
    });
  });
}

/**
 * In this thread, one key at a time. Keys stay open until the batch ends so that HSM
 * keys keep sharing the token's one logged-in session (it closes with its last key).
 */
async function runHere(devices: string[], input: BatchInput, onResult: (r: DeviceResult) => void): Promise<void> {
  const opened: KeyProvider[] = [];
  const writer = new DeviceFileWriter(input.options.outDir, onResult);
  try {
    for (const device of devices) {
      try {
        const key = await openKeyProvider(input.keyFor(device), input.ctx);
        opened.push(key);
        await writer.add(await buildDeviceFile(device, input.plan, key, input.options));
      } catch (e) {
        // A wrong or locked PIN ends the batch: one failed login, never one per device.
        if (e instanceof FatalError) throw e;
        onResult(failure(device, e));
      }
    }
  } finally {
    await writer.finish();
    for (const key of opened) await key.close?.();
  }
}

/**
 * Builds every device's output. PEM keys are spread over worker threads (signing is the
 * CPU-bound part); other providers run here in order. Results come back in list order.
 */
export async function runBatch(input: BatchInput): Promise<DeviceResult[]> {
  ensureDirectory(input.options.outDir, '--out-dir');
  watchDirectory(input.options.outDir);
  const byDevice = new Map<string, DeviceResult>();
  const collect = (r: DeviceResult) => {
    byDevice.set(r.device, r);
    input.onResult?.(r);
  };
  const software: { device: string; keyPath: string }[] = [];
  const others: string[] = [];
  for (const device of input.devices) {
    let keyPath: string | undefined;
    try {
      keyPath = softwareKeyPath(input.keyFor(device));
    } catch (e) {
      collect(failure(device, e));
      continue;
    }
    if (keyPath !== undefined) software.push({ device, keyPath });
    else others.push(device);
  }
  const workers = Math.min(input.workers ?? os.availableParallelism(), Math.ceil(software.length / 32));
  const jobs: Promise<void>[] = [];
  if (workers > 1) {
    for (let w = 0; w < workers; w++) {
      const slice = software.filter((_, i) => i % workers === w);
      jobs.push(runWorker({ plan: input.plan, devices: slice, options: input.options, env: input.ctx.env }, collect));
    }
  } else {
    others.unshift(...software.map((s) => s.device));
  }
  jobs.push(runHere(others, input, collect));
  await Promise.all(jobs);
  return input.devices.map((d) => byDevice.get(d)!).filter(Boolean);
}
