import type JSZip from 'jszip';
import { NrfutilError } from './errors';
import type { PackageFiles } from './dfuPackage';
import { PACKAGE_ZIP_LIMITS } from './bootloaderLimits';
import { readZipMembers, ZipFormatError } from './zipReader';

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
 * (The CLI takes src/node/storedZip's writer for plain ASCII names: same bytes, no jszip.)
 */
export async function writePackageZip(files: PackageFiles): Promise<Uint8Array> {
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

/** Reads every file member of a package zip, within what a device can hold. `source` names the zip in errors. */
export async function readPackageZip(bytes: Uint8Array, source: string): Promise<PackageFiles> {
  try {
    return readZipMembers(bytes, PACKAGE_ZIP_LIMITS);
  } catch (e) {
    if (e instanceof ZipFormatError) throw new NrfutilError(`${source}: ${e.message}`);
    throw e;
  }
}
