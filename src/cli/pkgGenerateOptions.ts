import fs from 'node:fs';
import { NrfutilError, UsageError } from '../core/errors';
import { FirmwareImage, LARGEST_HEX_FILE_BYTES, loadFirmwareImage, packageBinName } from '../core/firmwareImage';
import { NamedImage, PackageSpec } from '../core/dfuPackage';

// The option checks are portable (the library's createPackage makes the same ones).
export * from '../core/pkgOptions';

/** Reads and normalises a firmware file; a missing or unreadable file is one clear line. */
export function readFirmware(path: string, option: string): NamedImage {
  let contents: Buffer;
  try {
    // Refused before it is read: a file far larger than any flash is not firmware.
    const size = fs.statSync(path).size;
    if (size > LARGEST_HEX_FILE_BYTES) throw new NrfutilError(`${path}: ${size} bytes, more than any nRF5 firmware file (at most ${LARGEST_HEX_FILE_BYTES}); is this the right file?`);
    contents = fs.readFileSync(path);
  } catch (e) {
    if (e instanceof NrfutilError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`Invalid value for '${option}': File '${path}' does not exist.`);
    if (code === 'EISDIR') throw new UsageError(`Invalid value for '${option}': '${path}' is a directory.`);
    throw new NrfutilError(`Cannot read ${path} (${code})`);
  }
  const image: FirmwareImage = loadFirmwareImage(path, contents);
  return { binName: packageBinName(path), image };
}

/** The firmware files a `pkg generate` names, read and normalised. */
export function readPackageImages(flags: { application?: string; bootloader?: string; softdevice?: string }): Pick<PackageSpec, 'application' | 'bootloader' | 'softdevice'> {
  return {
    application: flags.application ? readFirmware(flags.application, '--application') : undefined,
    bootloader: flags.bootloader ? readFirmware(flags.bootloader, '--bootloader') : undefined,
    softdevice: flags.softdevice ? readFirmware(flags.softdevice, '--softdevice') : undefined,
  };
}
