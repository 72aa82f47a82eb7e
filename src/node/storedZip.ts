import { createHash, Hash } from 'node:crypto';
import zlib from 'node:zlib';
import type { PackageFiles } from '../core/dfuPackage';
import { writePackageZip } from '../core/packageZip';

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
  if (crc === undefined) crcCache.set(data, (crc = zlib.crc32(data) >>> 0)); // native (Node >= 20.15)
  return crc;
}

export function isPlainAsciiName(name: string): boolean {
  return /^[\x20-\x7e]+$/.test(name);
}

/** A zip as the pieces it is made of: headers, and the members' own buffers (not copied). */
export interface StoredZipImage {
  chunks: Uint8Array[];
  size: number;
  sha256: string;
}

export function writeStoredZip(files: PackageFiles): Uint8Array {
  const { chunks, size } = storedZipChunks(files);
  return Buffer.concat(chunks, size);
}

/**
 * The stored zip of `files` as chunks to write in order, with its SHA-256. The members'
 * data are referenced, not copied; the zip's sha256 resumes from a cached hash of the
 * first member (the firmware, in every zip of a batch) instead of rehashing 200 KB.
 */
export function storedZipImage(files: PackageFiles): StoredZipImage {
  const { chunks, size } = storedZipChunks(files);
  return { chunks, size, sha256: sha256OfChunks(chunks) };
}

/**
 * A package's zip with its SHA-256, for the fleet and the service: the stored-zip pieces
 * when every name allows, else jszip's bytes (UTF-8 names) as one piece.
 */
export async function packageZipImage(files: PackageFiles): Promise<StoredZipImage> {
  if ([...files.keys()].every(isPlainAsciiName)) return storedZipImage(files);
  const zip = await writePackageZip(files);
  return { chunks: [zip], size: zip.length, sha256: createHash('sha256').update(zip).digest('hex') };
}

/** The chunks alone: a single package written to disk (pkg generate) has no use for its hash. */
function storedZipChunks(files: PackageFiles): { chunks: Uint8Array[]; size: number } {
  const names = [...files.keys()].sort();
  if (!names.every(isPlainAsciiName)) throw new Error('writeStoredZip takes plain ASCII names only');
  const entries = names.map((name) => ({ name: Buffer.from(name, 'ascii'), data: files.get(name)!, crc: cachedCrc(files.get(name)!) }));
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const e of entries) {
    offsets.push(at);
    const header = Buffer.alloc(30 + e.name.length);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION_NEEDED, 4);
    header.writeUInt16LE(DOS_DATE_2000_01_01, 12);
    header.writeUInt32LE(e.crc, 14);
    header.writeUInt32LE(e.data.length, 18);
    header.writeUInt32LE(e.data.length, 22);
    header.writeUInt16LE(e.name.length, 26);
    e.name.copy(header, 30);
    chunks.push(header, e.data);
    at += header.length + e.data.length;
  }
  const centralStart = at;
  const central = Buffer.alloc(entries.reduce((n, e) => n + 46 + e.name.length, 0) + 22);
  let c = 0;
  entries.forEach((e, i) => {
    central.writeUInt32LE(CENTRAL_HEADER, c);
    central.writeUInt16LE(MADE_BY_UNIX, c + 4);
    central.writeUInt16LE(VERSION_NEEDED, c + 6);
    central.writeUInt16LE(DOS_DATE_2000_01_01, c + 14);
    central.writeUInt32LE(e.crc, c + 16);
    central.writeUInt32LE(e.data.length, c + 20);
    central.writeUInt32LE(e.data.length, c + 24);
    central.writeUInt16LE(e.name.length, c + 28);
    central.writeUInt32LE(UNIX_FILE_0664, c + 38);
    central.writeUInt32LE(offsets[i], c + 42);
    e.name.copy(central, c + 46);
    c += 46 + e.name.length;
  });
  central.writeUInt32LE(END_OF_CENTRAL, c);
  central.writeUInt16LE(entries.length, c + 8);
  central.writeUInt16LE(entries.length, c + 10);
  central.writeUInt32LE(c, c + 12);
  central.writeUInt32LE(centralStart, c + 16);
  chunks.push(central);
  return { chunks, size: at + central.length };
}

/** Hash state after a zip's first local header and data, per data buffer (and header bytes). */
const firstMemberHashes = new WeakMap<Uint8Array, { header: Buffer; hash: Hash }>();
const WORTH_CACHING = 4096;

// Like the CRC cache, this assumes a member's buffer is not changed once zipped (the
// batch's plan is never mutated).
function sha256OfChunks(chunks: Uint8Array[]): string {
  if (chunks.length < 3) return createHash('sha256').update(chunks[0]).digest('hex'); // no members
  const [header, data] = chunks as [Buffer, Uint8Array];
  let hash: Hash;
  const cached = data.length >= WORTH_CACHING ? firstMemberHashes.get(data) : undefined;
  if (cached && cached.header.equals(header)) hash = cached.hash.copy();
  else {
    hash = createHash('sha256').update(header).update(data);
    if (data.length >= WORTH_CACHING) firstMemberHashes.set(data, { header, hash: hash.copy() });
  }
  for (const chunk of chunks.slice(2)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * The package zip for the CLI: plain ASCII names (every package this tool makes) take the
 * stored-zip writer, which gives jszip's bytes without loading jszip (a fifth of a single
 * `pkg generate`'s start-up); anything else goes to core's jszip writer.
 */
export async function writePackageZipFast(files: PackageFiles): Promise<Uint8Array> {
  if ([...files.keys()].every(isPlainAsciiName)) return writeStoredZip(files);
  return writePackageZip(files);
}
