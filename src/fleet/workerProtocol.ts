import type { PackagePlan } from '../core/dfuPackage';
import type { KeyReference } from '../plugins/keyProvider';
import type { BatchOutputOptions, DeviceResult } from './deviceOutput';
import type { DevicePlanRecipe } from './devicePlan';

/** What every signing worker thread starts with. */
export interface SigningWorkerData {
  /** The plan every device shares; jobs carry their own otherwise. */
  plan?: PackagePlan;
  /** Or how each device's own plan is made (the worker makes it). */
  recipe?: DevicePlanRecipe;
  options: BatchOutputOptions;
  env: NodeJS.ProcessEnv;
  /** The config (plain data only): providers read their sections from it. */
  config: Record<string, unknown>;
  /** Module files of third-party providers to register, as the config's plugins were. */
  plugins: string[];
  signTimeoutMs: number;
}

/** Parent to worker: sign one device, or finish the files and stop. */
export type WorkerJob = { device: string; ref: KeyReference; plan?: PackagePlan } | { end: true };

/**
 * Worker to parent: a device's result (fatal: the whole batch stops), a provider's warning,
 * or the warnings made while planning a device (recipe; sent before its result, empty too).
 */
export type WorkerMessage = { result: DeviceResult; fatal?: boolean } | { warning: string } | { device: string; notes: string };
