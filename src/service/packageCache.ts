import type { PackageFiles } from '../core/dfuPackage';
import { packageZipImage } from '../node/storedZip';

/** A release signed for one device and verified with its public key, with its zip. */
export interface SignedPackage {
  files: PackageFiles;
  /** The zip as pieces in order (the firmware is the release's own buffer, shared, not copied). */
  zipChunks: Uint8Array[];
  zipSize: number;
  zipSha256: string;
}

/** The zip of signed files: the CLI's stored-zip writer (jszip's bytes, cached firmware CRC and hash) when it can. */
export async function packageOf(files: PackageFiles): Promise<SignedPackage> {
  const image = await packageZipImage(files);
  return { files, zipChunks: image.chunks, zipSize: image.size, zipSha256: image.sha256 };
}

export interface PackageCacheOptions {
  /** Most (device, release) packages kept; 0 turns the cache off. */
  entries: number;
  /** How long one is served from the cache before it is signed again, ms (a replaced key takes effect within this). */
  ttlMs: number;
}

export const DEFAULT_PACKAGE_CACHE: PackageCacheOptions = { entries: 20_000, ttlMs: 10 * 60_000 };

/**
 * Signed packages per (device, release), least recently used out first. Every entry was
 * verified with the device's public key when it was signed (signAndVerify); a repeat
 * request is served from here. An entry costs about a kilobyte (init packets, manifest,
 * zip headers): the firmware buffers are the release plan's, shared by every device.
 * Whether the release is still approved, the token valid and the device in scope is
 * checked on every request before the cache is asked; concurrent first requests for one
 * pair sign once.
 */
export class SignedPackageCache {
  private readonly entries = new Map<string, { at: number; pkg: Promise<SignedPackage> }>();

  constructor(private readonly options: PackageCacheOptions = DEFAULT_PACKAGE_CACHE) {}

  get size(): number {
    return this.entries.size;
  }

  async get(device: string, release: string, sign: () => Promise<SignedPackage>, now = Date.now()): Promise<SignedPackage> {
    if (this.options.entries <= 0) return sign();
    const key = `${release}\0${device}`;
    const hit = this.entries.get(key);
    this.entries.delete(key);
    if (hit && now - hit.at < this.options.ttlMs) {
      this.entries.set(key, hit); // most recently used last
      return hit.pkg;
    }
    const pkg = sign();
    const entry = { at: now, pkg };
    this.entries.set(key, entry);
    // a failure is not kept: the next request tries again (and is audited again)
    pkg.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    while (this.entries.size > this.options.entries) this.entries.delete(this.entries.keys().next().value!);
    return pkg;
  }

  /** Forgets a release's packages (revoked: they must not be kept around). */
  dropRelease(release: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${release}\0`)) this.entries.delete(key);
  }
}
