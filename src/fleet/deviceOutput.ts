import { createHash } from 'node:crypto';
import path from 'node:path';
import { writeFileAtomicAsync } from '../node/atomicFile';
import { PackagePlan, signPlan } from '../core/dfuPackage';
import { expandDeviceTemplate } from '../core/deviceId';
import { NrfutilError } from '../core/errors';
import { redactSecrets } from '../core/safeText';
import { packageZipImage } from '../node/storedZip';
import { signedPackageProblems } from '../core/signingCheck';
import type { KeyProvider } from '../plugins/keyProvider';

export type BatchMode = 'zip' | 'dat';

export interface BatchOutputOptions {
  outDir: string;
  /** `{device}.zip` by default; `{device}.dat` in dat-only mode. */
  nameTemplate: string;
  mode: BatchMode;
}

/** One line of the batch report. */
export interface DeviceResult {
  device: string;
  status: 'ok' | 'failed';
  file?: string;
  sha256?: string;
  error?: string;
}

/** A device's file, signed and checked, not yet written. */
export interface DeviceFile {
  device: string;
  file: string;
  chunks: Uint8Array[];
  sha256: string;
}

/**
 * Signs the shared plan with one device's key and checks the result against that key's
 * public key as the bootloader would. Nothing is written here.
 */
export async function buildDeviceFile(device: string, plan: PackagePlan, key: KeyProvider, options: BatchOutputOptions): Promise<DeviceFile> {
  if (!key.sign) throw new NrfutilError(`${key.label} holds only a public key; signing needs the private key`);
  const files = await signPlan(plan, (m) => key.sign!(m));
  // Init-command limits are pkg generate's warning, printed once by the caller, not a
  // device failure: the check here is the signature, hashes, sizes and types.
  const problems = signedPackageProblems(files, device, await key.publicKey());
  if (problems.length) throw new NrfutilError(`the package does not verify with the device's key: ${problems[0]}`);
  const file = expandDeviceTemplate(options.nameTemplate, device);
  if (options.mode === 'dat') {
    const dat = files.get(plan.images[0].datName)!;
    return { device, file, chunks: [dat], sha256: sha256Hex(dat) };
  }
  const { chunks, sha256 } = await packageZipImage(files);
  return { device, file, chunks, sha256 };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes device files in the background, a few at a time, so that signing goes on while
 * the disk catches up (creating files is slow on some disks). A device's result is
 * reported only once its file is in place.
 */
export class DeviceFileWriter {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly outDir: string,
    private readonly onResult: (result: DeviceResult) => void,
    private readonly limit = 8,
  ) {}

  /** Starts writing; resolves as soon as there is room for the next file. */
  async add(out: DeviceFile): Promise<void> {
    const write = writeFileAtomicAsync(path.join(this.outDir, out.file), out.chunks)
      .then(
        () => this.onResult({ device: out.device, status: 'ok', file: out.file, sha256: out.sha256 }),
        (e) => this.onResult(failure(out.device, e)),
      )
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
    if (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
  }

  /** Waits for every file started so far. */
  async finish(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}

export function failure(device: string, e: unknown): DeviceResult {
  return { device, status: 'failed', error: redactSecrets((e as Error).message.split('\n')[0]) };
}
