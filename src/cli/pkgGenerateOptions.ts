import fs from 'node:fs';
import { NrfutilError, UsageError } from '../core/errors';
import { FirmwareImage, loadFirmwareImage, packageBinName } from '../core/firmwareImage';
import { NamedImage, PackageSpec } from '../core/dfuPackage';

// The option checks are portable (the library's createPackage makes the same ones).
export * from '../core/pkgOptions';

/** Reads and normalises a firmware file; a missing or unreadable file is one clear line. */
export function readFirmware(path: string, option: string): NamedImage {
  let contents: Buffer;
  try {
    contents = fs.readFileSync(path);
  } catch (e) {
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
