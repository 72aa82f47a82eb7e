import type { PackagePlan } from '../core/dfuPackage';
import type { KeyReference } from '../plugins/keyProvider';
import type { BatchOutputOptions, DeviceResult } from './deviceOutput';

/** What every signing worker thread starts with. */
export interface SigningWorkerData {
  /** The plan every device shares; jobs carry their own otherwise. */
  plan?: PackagePlan;
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

/** Worker to parent: a device's result (fatal: the whole batch stops), or a provider's warning. */
export type WorkerMessage = { result: DeviceResult; fatal?: boolean } | { warning: string };
