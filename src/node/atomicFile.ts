import fs from 'node:fs';
import path from 'node:path';
import { NrfutilError } from '../core/errors';
import { temporaryNameFor } from './temporaryFiles';


function missingDirectory(target: string): NrfutilError {
  return new NrfutilError(`${target}: directory ${path.dirname(target)} does not exist; create it first`);
}

/** One sentence naming the file, never the temporary name or raw errno text. */
function writeError(target: string, e: unknown): NrfutilError {
  const code = (e as NodeJS.ErrnoException).code;
  const dir = path.dirname(target);
  switch (code) {
    case 'ENOENT':
      return missingDirectory(target);
    case 'ENOTDIR':
      return new NrfutilError(`Cannot write ${target}: ${dir} is not a directory`);
    case 'EISDIR':
      return new NrfutilError(`Cannot write ${target}: it is a directory; give a file name`);
    case 'EACCES':
    case 'EPERM':
      return new NrfutilError(`Cannot write ${target}: permission denied`);
    case 'EROFS':
      return new NrfutilError(`Cannot write ${target}: the file system is read-only`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new NrfutilError(`Cannot write ${target}: no space left on the device`);
    default:
      return new NrfutilError(`Cannot write ${target} (${code ?? (e as Error).message})`);
  }
}

/** Creates an output directory (and its parents); `option` names it in the one-line error. */
export function ensureDirectory(dir: string, option: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new NrfutilError(`${option} ${dir}: a file of that name (or on its path) is in the way; give a directory`);
    if (code === 'EACCES' || code === 'EPERM') throw new NrfutilError(`${option} ${dir}: permission denied`);
    throw new NrfutilError(`${option} ${dir}: cannot create it (${code})`);
  }
}

/** A file written under a temporary name, waiting to be renamed into place (or dropped). */
export interface PreparedFile {
  commit(): void;
  abort(): void;
}

/**
 * The first half of an atomic write: the data in a temporary file beside the target.
 * Files that belong together (a Zigbee OTA file and its package) are all prepared
 * before any is renamed, so a failure leaves every existing file as it was.
 */
export function prepareFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): PreparedFile {
  const dir = path.dirname(path.resolve(target));
  if (!fs.existsSync(dir)) throw missingDirectory(target);
  const tmp = temporaryNameFor(target);
  const abort = () => {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing was created there (e.g. the "directory" is a file)
    }
  };
  try {
    fs.writeFileSync(tmp, data, { mode, flag: 'wx' });
    fs.chmodSync(tmp, mode); // the umask may have narrowed or widened it
  } catch (e) {
    abort();
    throw writeError(target, e);
  }
  return {
    abort,
    commit() {
      try {
        fs.renameSync(tmp, target);
      } catch (e) {
        abort();
        throw writeError(target, e);
      }
    },
  };
}

/**
 * Writes a file so that it either appears complete or not at all: a temporary file
 * beside the target, then rename. A missing directory is a clear one-line error.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): void {
  prepareFileAtomic(target, data, mode).commit();
}

/**
 * Several files, all or none: every one is prepared before the first is renamed, and
 * when a later rename fails the earlier targets get their previous contents back
 * (kept as hard links until the last rename succeeded).
 */
export function writeFilesAtomic(files: readonly { target: string; data: string | Uint8Array }[]): void {
  const prepared: PreparedFile[] = [];
  const previous: (string | undefined)[] = [];
  const dropPrevious = () => previous.forEach((p) => p && fs.rmSync(p, { force: true }));
  try {
    for (const { target, data } of files) prepared.push(prepareFileAtomic(target, data));
    for (const { target } of files) {
      let keep: string | undefined = temporaryNameFor(target);
      try {
        fs.linkSync(target, keep);
      } catch {
        keep = undefined; // no previous file (or not a plain one): nothing to restore
      }
      previous.push(keep);
    }
  } catch (e) {
    prepared.forEach((p) => p.abort());
    dropPrevious();
    throw e;
  }
  let committed = 0;
  try {
    for (; committed < prepared.length; committed++) prepared[committed].commit();
  } catch (e) {
    for (let i = 0; i < committed; i++) {
      const keep = previous[i];
      if (keep) fs.renameSync(keep, files[i].target);
      else fs.rmSync(files[i].target, { force: true });
      previous[i] = undefined;
    }
    prepared.slice(committed + 1).forEach((p) => p.abort());
    dropPrevious();
    throw e;
  }
  dropPrevious();
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
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(target, e);
  }
}
