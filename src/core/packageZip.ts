import type JSZip from 'jszip';
import { NrfutilError } from './errors';
import type { PackageFiles } from './dfuPackage';
import { isPlainAsciiName, writeStoredZip } from './storedZip';

/**
 * Every member gets this timestamp (jszip writes it in UTC), so the same inputs give
 * the same zip bytes on any machine and in any time zone.
 */
const FIXED_ZIP_DATE = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

/** Loaded on first use: batch workers write their zips without jszip and skip its start-up. */
async function loadJsZip(): Promise<typeof JSZip> {
  return (await import('jszip')).default;
}

/**
 * The package zip: members stored uncompressed, as nrfutil writes them, in a fixed order.
 * Plain ASCII names (every package this tool makes) take the stored-zip writer, which
 * gives the same bytes without loading jszip (a fifth of a single `pkg generate`'s start-up).
 */
export async function writePackageZip(files: PackageFiles): Promise<Uint8Array> {
  if ([...files.keys()].every(isPlainAsciiName)) return writeStoredZip(files);
  return writeJsZip(files);
}

/** jszip's writer, for names the stored-zip writer does not take (and as its reference in the tests). */
export async function writeJsZip(files: PackageFiles): Promise<Uint8Array> {
  const zip = new (await loadJsZip())();
  for (const name of [...files.keys()].sort()) {
    zip.file(name, files.get(name)!, { binary: true, date: FIXED_ZIP_DATE, compression: 'STORE', createFolders: false });
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'STORE', platform: 'UNIX' });
}

/** A member name that would land outside the directory a zip is unpacked into. */
export function isUnsafeMemberName(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.split(/[\\/]/).includes('..');
}

/** Reads every file member of a package zip. `source` names the zip in errors. */
export async function readPackageZip(bytes: Uint8Array, source: string): Promise<PackageFiles> {
  let zip: JSZip;
  try {
    zip = await (await loadJsZip()).loadAsync(bytes, { checkCRC32: true });
  } catch (e) {
    throw new NrfutilError(`${source}: not a readable zip file (${(e as Error).message})`);
  }
  const files: PackageFiles = new Map();
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    // jszip strips a leading '/' and keeps the raw name in unsafeOriginalName
    const name = (entry as unknown as { unsafeOriginalName?: string }).unsafeOriginalName ?? entry.name;
    try {
      files.set(name, await entry.async('uint8array'));
    } catch (e) {
      throw new NrfutilError(`${source}: member ${name} is corrupt (${(e as Error).message})`);
    }
  }
  return files;
}
