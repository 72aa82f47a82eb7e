import fs from 'node:fs';
import path from 'node:path';
import { NrfutilError } from '../core/errors';

/** A temporary name beside the target, unique per process, thread and call. */
let tmpCounter = 0;
function temporaryNameFor(target: string): string {
  const dir = path.dirname(path.resolve(target));
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.${++tmpCounter}.tmp`);
}

function missingDirectory(target: string): NrfutilError {
  return new NrfutilError(`${target}: directory ${path.dirname(target)} does not exist; create it first`);
}

function writeError(target: string, e: unknown): NrfutilError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return missingDirectory(target);
  return new NrfutilError(`Cannot write ${target} (${code ?? (e as Error).message})`);
}

/**
 * Writes a file so that it either appears complete or not at all: a temporary file
 * beside the target, then rename. A missing directory is a clear one-line error.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): void {
  const dir = path.dirname(path.resolve(target));
  if (!fs.existsSync(dir)) throw missingDirectory(target);
  const tmp = temporaryNameFor(target);
  try {
    fs.writeFileSync(tmp, data, { mode, flag: 'wx' });
    fs.chmodSync(tmp, mode); // the umask may have narrowed or widened it
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw writeError(target, e);
  }
}

/**
 * The same, asynchronously and from several buffers (written in order, never joined):
 * a batch keeps signing while the disk catches up, and the large shared firmware is
 * not copied into every device's file image.
 */
export async function writeFileAtomicAsync(target: string, chunks: readonly Uint8Array[], mode = 0o644): Promise<void> {
  const tmp = temporaryNameFor(target);
  let file: fs.promises.FileHandle | undefined;
  try {
    file = await fs.promises.open(tmp, 'wx', mode);
    let pending = chunks.filter((c) => c.byteLength > 0);
    while (pending.length > 0) {
      // writev may write less than asked (e.g. a full disk's last blocks): go on from there.
      let { bytesWritten } = await file.writev(pending);
      if (bytesWritten === 0) throw Object.assign(new Error('no progress writing'), { code: 'EIO' });
      while (pending.length > 0 && bytesWritten >= pending[0].byteLength) bytesWritten -= pending.shift()!.byteLength;
      if (bytesWritten > 0) pending[0] = pending[0].subarray(bytesWritten);
    }
    await file.chmod(mode); // the umask may have narrowed or widened it
    await file.close();
    file = undefined;
    await fs.promises.rename(tmp, target);
  } catch (e) {
    await file?.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true });
    throw writeError(target, e);
  }
}
