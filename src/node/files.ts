import fs from 'node:fs';
import { NrfutilError } from '../core/errors';
import type { FirmwareFile } from '../core/libraryPackage';

/** A firmware file from disk as createPackage/createSettings take it (the path names it). */
export function readFirmwareFile(path: string): FirmwareFile {
  try {
    const data = fs.readFileSync(path);
    return { name: path, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NrfutilError(code === 'ENOENT' ? `${path}: file not found` : `Cannot read ${path} (${code})`);
  }
}
