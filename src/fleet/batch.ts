import os from 'node:os';
import type { PackagePlan } from '../core/dfuPackage';
import { FatalError, NrfutilError } from '../core/errors';
import { ensureDirectory } from '../node/atomicFile';
import type { KeyProvider, KeyProviderFactory, KeyReference, ProviderCapabilities, ProviderContext, SigningKeyProvider } from '../plugins/keyProvider';
import { capabilitiesOf, contextFor, factoryFor, keyProviderSources } from '../plugins/registry';
import { DEFAULT_SIGN_TIMEOUT_SECONDS, withSigningDeadline } from '../plugins/signingDeadline';
import { BatchOutputOptions, buildDeviceFile, DeviceFileWriter, DeviceResult, failure } from './deviceOutput';
import { onInterrupt, watchDirectory } from '../node/temporaryFiles';
import { WorkerPool } from './workerPool';
import { DevicePlanRecipe, planDevice } from './devicePlan';

export interface BatchInput {
  /** The plan every device shares (pkg generate --devices). */
  plan?: PackagePlan;
  /**
   * Or each device's own plan ({device} in input paths): made here, in list order, one at
   * a time (its warnings print in that order), while earlier devices are being signed.
   */
  planFor?: (device: string) => Promise<PackagePlan> | PackagePlan;
  /**
   * Or a recipe for each device's own plan, as plain data: the thread that signs a device
   * plans it too, so reading and hashing each device's firmware runs concurrently as well.
   */
  recipe?: DevicePlanRecipe;
  devices: string[];
  keyFor: (device: string) => KeyReference;
  options: BatchOutputOptions;
  ctx: ProviderContext;
  /** Called after each device (progress bar), in the order devices finish. */
  onResult?: (result: DeviceResult) => void;
  /**
   * Most threads or signatures at once: worker threads for worker-safe providers, devices
   * in flight in this thread for the others (each also capped by its provider's
   * maxConcurrentSignatures). 1 runs one device after another. Default: NRFUTIL_JOBS, else
   * one per core for threads and the provider's limit in this thread. 0 counts as 1.
   */
  workers?: number;
  /** Devices per worker thread below which another thread is not worth its start-up. */
  devicesPerWorker?: number;
  /** Milliseconds one signature may take before its device fails. */
  signTimeoutMs?: number;
  /** Aborting it cancels the signatures in flight and ends the batch. */
  signal?: AbortSignal;
}

/** NRFUTIL_JOBS=N: at most N threads or signatures at once (1: one device after another). */
function jobsFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const n = Number(env.NRFUTIL_JOBS);
  return env.NRFUTIL_JOBS !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** `workers` as given (0, the old "sign in this thread", means 1), else NRFUTIL_JOBS. */
function jobLimit(input: BatchInput): number | undefined {
  return input.workers !== undefined ? Math.max(1, Math.floor(input.workers)) : jobsFromEnv(input.ctx.env);
}

interface Target {
  device: string;
  ref: KeyReference;
  factory: KeyProviderFactory;
  capabilities: ProviderCapabilities;
}

/**
 * Builds every device's output: signed, checked against the device's public key, written.
 * Devices whose provider is worker-safe (PEM files) are spread over worker threads (signing
 * is the CPU-bound part); the others are signed here, as many at once as their provider
 * allows (a remote signer: several; an HSM session: one), each signature under a deadline.
 * Results come back in list order, whatever order devices finish in. A FatalError (a wrong
 * HSM PIN) stops the batch: signatures in flight are cancelled and it is thrown.
 */
export async function runBatch(input: BatchInput): Promise<DeviceResult[]> {
  if (!input.plan && !input.planFor && !input.recipe) throw new Error('runBatch needs plan, planFor or recipe');
  ensureDirectory(input.options.outDir, '--out-dir');
  watchDirectory(input.options.outDir);
  const byDevice = new Map<string, DeviceResult>();
  const collect = (r: DeviceResult) => {
    byDevice.set(r.device, r);
    input.onResult?.(r);
  };
  const stop = new AbortController();
  const signal = input.signal ? AbortSignal.any([stop.signal, input.signal]) : stop.signal;
  // Ctrl-C or SIGTERM: remote calls in flight are cancelled before the temporary files are swept.
  const forgetInterrupt = onInterrupt(async () => stop.abort(new NrfutilError('interrupted')));

  const targets: Target[] = [];
  // capabilities are the provider's, not the device's: asked once per provider
  const capabilitiesByFactory = new Map<KeyProviderFactory, ProviderCapabilities>();
  for (const device of input.devices) {
    try {
      const ref = input.keyFor(device);
      const factory = factoryFor(ref);
      let capabilities = capabilitiesByFactory.get(factory);
      if (!capabilities) capabilitiesByFactory.set(factory, (capabilities = capabilitiesOf(factory, input.ctx.config)));
      targets.push({ device, ref, factory, capabilities });
    } catch (e) {
      collect(failure(device, e));
    }
  }
  const jobs = jobLimit(input);
  const timeoutMs = input.signTimeoutMs ?? DEFAULT_SIGN_TIMEOUT_SECONDS * 1000;
  const workerSafe = targets.filter((t) => t.capabilities.workerSafe);
  // over the providers, not the devices (one argument per device overflows the stack past ~100k)
  const workerSafeLimits = [...capabilitiesByFactory.values()].filter((c) => c.workerSafe).map((c) => c.maxConcurrentSignatures);
  const threadLimit = Math.min(jobs ?? os.availableParallelism(), ...workerSafeLimits);
  // a thread costs its start-up: worth it for 32 shared-plan devices, or 8 that each read their own firmware
  const threads = Math.min(threadLimit, Math.ceil(workerSafe.length / (input.devicesPerWorker ?? (input.recipe ? 8 : 32))));
  const notes = new OrderedNotes(
    targets.map((t) => t.device),
    (text) => process.stderr.write(text),
  );
  const pool =
    threads > 1
      ? new WorkerPool(
          threads,
          { plan: input.planFor ? undefined : input.plan, recipe: input.recipe, options: input.options, env: input.ctx.env, config: plainData(input.ctx.config), plugins: keyProviderSources(), signTimeoutMs: timeoutMs },
          collect,
          input.ctx.warn,
          (device, text) => notes.add(device, text),
        )
      : undefined;
  const here = new InThreadSigner(input, collect, signal, () => stop.abort(), timeoutMs, jobs);
  try {
    for (const target of targets) {
      if (signal.aborted) break;
      if (pool && target.capabilities.workerSafe && !input.planFor) {
        await pool.submit({ device: target.device, ref: target.ref });
        continue;
      }
      let plan = input.plan!;
      let warnings = '';
      try {
        if (input.planFor) plan = await input.planFor(target.device);
        if (input.recipe) plan = await planDevice(input.recipe, target.device, (text) => (warnings += text));
      } catch (e) {
        if (e instanceof FatalError) throw e;
        collect(failure(target.device, e));
        continue;
      } finally {
        notes.add(target.device, warnings);
      }
      if (pool && target.capabilities.workerSafe) await pool.submit({ device: target.device, ref: target.ref, plan });
      else await here.submit(target, plan);
    }
    await Promise.all([pool?.finish(), here.finish()]);
  } catch (e) {
    stop.abort(e);
    await Promise.allSettled([pool?.terminate(), here.finish()]);
    throw e;
  } finally {
    forgetInterrupt();
    await here.close();
  }
  if (signal.aborted) throw new NrfutilError('the batch was cancelled');
  return input.devices.map((d) => byDevice.get(d)!).filter(Boolean);
}

/**
 * Per-device warnings in list order: a device's text is held until every device before it
 * has had its say, so threads finishing out of order print what one thread would.
 */
class OrderedNotes {
  private readonly texts = new Map<string, string>();
  private next = 0;

  constructor(
    private readonly order: string[],
    private readonly print: (text: string) => void,
  ) {}

  add(device: string, text: string): void {
    this.texts.set(device, text);
    while (this.next < this.order.length && this.texts.has(this.order[this.next])) {
      const t = this.texts.get(this.order[this.next++])!;
      if (t) this.print(t);
    }
  }
}

/** The config as plain data for a worker thread (a .js config may hold functions). */
function plainData(config: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}

/**
 * Devices signed in this thread. Keys are opened one at a time, in list order (a PIN or
 * passphrase prompt, an HSM login), and stay open until the batch ends so that HSM keys
 * keep sharing the token's one session; signing, checking and writing then run up to the
 * provider's maxConcurrentSignatures devices at once.
 */
class InThreadSigner {
  private readonly opened: KeyProvider[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly writer: DeviceFileWriter;
  private fatal: unknown;

  constructor(
    private readonly input: BatchInput,
    private readonly collect: (r: DeviceResult) => void,
    private readonly signal: AbortSignal,
    /** Cancels every signature in flight (a fatal error). */
    private readonly abortAll: () => void,
    private readonly timeoutMs: number,
    private readonly jobs: number | undefined,
  ) {
    this.writer = new DeviceFileWriter(input.options.outDir, collect);
  }

  async submit(target: Target, plan: PackagePlan): Promise<void> {
    const limit = Math.min(target.capabilities.maxConcurrentSignatures, this.jobs ?? Infinity);
    while (this.inFlight.size >= limit) await Promise.race(this.inFlight);
    if (this.fatal) throw this.fatal;
    let key: KeyProvider;
    try {
      key = await target.factory.open(target.ref, contextFor(target.factory, this.input.ctx));
    } catch (e) {
      // A wrong or locked PIN ends the batch: one failed login, never one per device.
      if (e instanceof FatalError) throw e;
      this.collect(failure(target.device, e));
      return;
    }
    this.opened.push(key);
    const signing = key.sign ? withSigningDeadline(key as SigningKeyProvider, { timeoutMs: this.timeoutMs, signal: this.signal, what: target.capabilities.label }) : key;
    const task = buildDeviceFile(target.device, plan, signing, this.input.options)
      .then((file) => this.writer.add(file))
      .catch((e) => {
        if (e instanceof FatalError) {
          this.fatal ??= e;
          this.abortAll();
        } else this.collect(failure(target.device, e));
      })
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Waits for the devices in flight and their files. */
  async finish(): Promise<void> {
    await Promise.all(this.inFlight);
    await this.writer.finish();
    if (this.fatal) throw this.fatal;
  }

  async close(): Promise<void> {
    for (const key of this.opened) await key.close?.();
  }
}
