import { parentPort, workerData } from 'node:worker_threads';
import { FatalError } from '../core/errors';
import type { PackagePlan } from '../core/dfuPackage';
import type { KeyReference, ProviderContext, SigningKeyProvider } from '../plugins/keyProvider';
import { capabilitiesOf, factoryFor, factoryFromModule, openKeyProvider, registerKeyProvider } from '../plugins/registry';
import { withSigningDeadline } from '../plugins/signingDeadline';
import { buildDeviceFile, DeviceFileWriter, DeviceResult, failure } from './deviceOutput';
import type { SigningWorkerData, WorkerJob, WorkerMessage } from './workerProtocol';
import { planDevice } from './devicePlan';

/**
 * A signing worker thread (started by batch.ts through workerEntry.ts): it re-creates each
 * device's key from its reference with a worker-safe provider (PEM files; a plugin that
 * declares workerSafe), signs, checks and writes, one job after another in arrival order.
 */
async function main(data: SigningWorkerData): Promise<void> {
  for (const source of data.plugins) {
    const factory = factoryFromModule(await import(source));
    if (factory) registerKeyProvider(factory, source);
  }
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  const ctx: ProviderContext = { env: data.env, config: data.config, warn: (warning) => post({ warning }) };
  const writer = new DeviceFileWriter(data.options.outDir, (result: DeviceResult) => post({ result }));
  let queue = Promise.resolve();
  parentPort!.on('message', (job: WorkerJob) => {
    queue = queue.then(async () => {
      if ('end' in job) {
        await writer.finish();
        parentPort!.close();
        return;
      }
      await signOne(job, data, ctx, writer, post).catch((e) => post({ result: failure(job.device, e), fatal: e instanceof FatalError }));
    });
  });
}

async function signOne(job: { device: string; ref: KeyReference; plan?: PackagePlan }, data: SigningWorkerData, ctx: ProviderContext, writer: DeviceFileWriter, post: (m: WorkerMessage) => void): Promise<void> {
  const { device, ref } = job;
  let plan = job.plan ?? data.plan!;
  if (data.recipe && !job.plan) {
    let notes = '';
    try {
      plan = await planDevice(data.recipe, device, (text) => (notes += text));
    } finally {
      post({ device, notes });
    }
  }
  const key = await openKeyProvider(ref, ctx);
  try {
    const signing = key.sign ? withSigningDeadline(key as SigningKeyProvider, { timeoutMs: data.signTimeoutMs, what: capabilitiesOf(factoryFor(ref), data.config).label }) : key;
    await writer.add(await buildDeviceFile(device, plan, signing, data.options));
  } finally {
    await key.close?.();
  }
}

if (parentPort) void main(workerData as SigningWorkerData);
