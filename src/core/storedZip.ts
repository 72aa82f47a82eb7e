import { crc32 } from './crc32';
import type { PackageFiles } from './dfuPackage';

/**
 * A zip writer for the batch path, byte-identical to what writePackageZip (jszip) makes
 * for the same members: stored, DOS date 2000-01-01, "made by" UNIX 3.0, mode 0664.
 * Hand-written because a fleet zips the same 200 KB firmware thousands of times: this
 * takes the firmware's CRC-32 once (cached per buffer) and skips jszip's per-call setup.
 * Only plain ASCII names take this path (jszip flags others as UTF-8); the tests compare
 * its output with jszip's.
 */
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const VERSION_NEEDED = 10;
const MADE_BY_UNIX = 0x031e;
const DOS_DATE_2000_01_01 = ((2000 - 1980) << 9) | (1 << 5) | 1;
const UNIX_FILE_0664 = 0o100664 * 0x10000;

const crcCache = new WeakMap<Uint8Array, number>();

function cachedCrc(data: Uint8Array): number {
  let crc = crcCache.get(data);
  if (crc === undefined) crcCache.set(data, (crc = crc32(data)));
  return crc;
}

export function isPlainAsciiName(name: string): boolean {
  return /^[\x20-\x7e]+$/.test(name);
}

export function writeStoredZip(files: PackageFiles): Uint8Array {
  const names = [...files.keys()].sort();
  if (!names.every(isPlainAsciiName)) throw new Error('writeStoredZip takes plain ASCII names only');
  const entries = names.map((name) => ({ name: Buffer.from(name, 'ascii'), data: files.get(name)!, crc: cachedCrc(files.get(name)!) }));
  const localSize = entries.reduce((n, e) => n + 30 + e.name.length + e.data.length, 0);
  const centralSize = entries.reduce((n, e) => n + 46 + e.name.length, 0);
  const out = Buffer.alloc(localSize + centralSize + 22);
  const offsets: number[] = [];
  let at = 0;
  for (const e of entries) {
    offsets.push(at);
    out.writeUInt32LE(LOCAL_HEADER, at);
    out.writeUInt16LE(VERSION_NEEDED, at + 4);
    out.writeUInt16LE(DOS_DATE_2000_01_01, at + 12);
    out.writeUInt32LE(e.crc, at + 14);
    out.writeUInt32LE(e.data.length, at + 18);
    out.writeUInt32LE(e.data.length, at + 22);
    out.writeUInt16LE(e.name.length, at + 26);
    e.name.copy(out, at + 30);
    out.set(e.data, at + 30 + e.name.length);
    at += 30 + e.name.length + e.data.length;
  }
  const centralStart = at;
  entries.forEach((e, i) => {
    out.writeUInt32LE(CENTRAL_HEADER, at);
    out.writeUInt16LE(MADE_BY_UNIX, at + 4);
    out.writeUInt16LE(VERSION_NEEDED, at + 6);
    out.writeUInt16LE(DOS_DATE_2000_01_01, at + 14);
    out.writeUInt32LE(e.crc, at + 16);
    out.writeUInt32LE(e.data.length, at + 20);
    out.writeUInt32LE(e.data.length, at + 24);
    out.writeUInt16LE(e.name.length, at + 28);
    out.writeUInt32LE(UNIX_FILE_0664, at + 38);
    out.writeUInt32LE(offsets[i], at + 42);
    e.name.copy(out, at + 46);
    at += 46 + e.name.length;
  });
  out.writeUInt32LE(END_OF_CENTRAL, at);
  out.writeUInt16LE(entries.length, at + 8);
  out.writeUInt16LE(entries.length, at + 10);
  out.writeUInt32LE(at - centralStart, at + 12);
  out.writeUInt32LE(centralStart, at + 16);
  return out;
}
