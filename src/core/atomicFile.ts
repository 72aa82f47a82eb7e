import fs from 'node:fs';
import path from 'node:path';
import { NrfutilError } from './errors';

/**
 * Writes a file so that it either appears complete or not at all: a temporary file
 * beside the target, then rename. A missing directory is a clear one-line error.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): void {
  const dir = path.dirname(path.resolve(target));
  if (!fs.existsSync(dir)) throw new NrfutilError(`${target}: directory ${path.dirname(target)} does not exist; create it first`);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode, flag: 'wx' });
    fs.chmodSync(tmp, mode); // the umask may have narrowed or widened it
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new NrfutilError(`Cannot write ${target} (${code ?? (e as Error).message})`);
  }
}
