import type * as Fflate from 'fflate';
import { readU16, readU32 } from './bytes';
import { crc32 } from './crc32';

// fflate builds its Huffman tables when it is loaded: a few milliseconds that a command
// writing a stored zip (pkg generate, and its verify-before-write) never needs. Loaded on
// the first deflated member instead.
let fflate: typeof Fflate | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadFflate = (): typeof Fflate => (fflate ??= require('fflate') as typeof Fflate);

/**
 * Reads a zip's members with limits checked before anything is inflated or allocated.
 *
 * Not jszip's or fflate's unzip: both key members by name, so a zip holding two members
 * of one name silently yields the last (a verifier would then check one file while a
 * device, or another tool, takes the other), and both inflate a member whole before its
 * size can be refused (a 1 MB zip holding a 1 GiB member). The central directory is read
 * here; fflate only inflates, fed in small slices so the output can be capped.
 */

export interface ZipLimits {
  /** Largest member, uncompressed. */
  memberBytes: number;
  /** Most members (files and folders). */
  members: number;
}

export class ZipFormatError extends Error {}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;
/** Compressed bytes fed to the inflater at a time: at most ~1,032x that comes out. */
const INFLATE_SLICE = 16 * 1024;

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}


function decodeName(raw: Uint8Array, flags: number): string {
  // Names are UTF-8 when flagged, else CP437; package names are ASCII, where both agree.
  const ascii = raw.every((c) => c < 0x80);
  if (!ascii && !(flags & FLAG_UTF8)) return Array.from(raw, (c) => (c < 0x80 ? String.fromCharCode(c) : '\ufffd')).join('');
  return new TextDecoder('utf-8', { fatal: false }).decode(raw);
}

function findEndOfCentral(zip: Uint8Array): number {
  // The record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (readU32(zip, at) === END_OF_CENTRAL && at + 22 + readU16(zip, at + 20) === zip.length) return at;
  }
  throw new ZipFormatError('not a readable zip file (no end-of-central-directory record: not a zip, or cut short)');
}

/** The members the central directory lists, and where that directory starts (the end of the data). */
function readCentralDirectory(zip: Uint8Array, limits: ZipLimits): { entries: CentralEntry[]; directoryStart: number } {
  const eocd = findEndOfCentral(zip);
  const count = readU16(zip, eocd + 10);
  const cdSize = readU32(zip, eocd + 12);
  const cdOffset = readU32(zip, eocd + 16);
  if (readU16(zip, eocd + 4) !== 0 || readU16(zip, eocd + 6) !== 0 || readU16(zip, eocd + 8) !== count) throw new ZipFormatError('a multi-part zip is not supported');
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipFormatError('a zip64 archive is not supported (a DFU package is far smaller)');
  if (count > limits.members) throw new ZipFormatError(`${count} members, a DFU package has at most ${limits.members}`);
  if (cdOffset + cdSize > eocd) throw new ZipFormatError('not a readable zip file (its central directory lies outside the file)');
  const entries: CentralEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || readU32(zip, at) !== CENTRAL_HEADER) throw new ZipFormatError('not a readable zip file (its central directory is corrupt)');
    const nameLength = readU16(zip, at + 28);
    const next = at + 46 + nameLength + readU16(zip, at + 30) + readU16(zip, at + 32);
    if (next > eocd) throw new ZipFormatError('not a readable zip file (its central directory is corrupt)');
    const flags = readU16(zip, at + 8);
    entries.push({
      name: decodeName(zip.subarray(at + 46, at + 46 + nameLength), flags),
      flags,
      method: readU16(zip, at + 10),
      crc: readU32(zip, at + 16),
      compressedSize: readU32(zip, at + 20),
      size: readU32(zip, at + 24),
      localOffset: readU32(zip, at + 42),
    });
    at = next;
  }
  return { entries, directoryStart: cdOffset };
}

/** Where a member's data starts, after checking its local header agrees with the directory. */
function dataStart(zip: Uint8Array, entry: CentralEntry, directoryStart: number): number {
  const at = entry.localOffset;
  if (at + 30 > directoryStart || readU32(zip, at) !== LOCAL_HEADER) throw new ZipFormatError(`member ${entry.name} has no local header where the directory says`);
  const nameLength = readU16(zip, at + 26);
  const localName = decodeName(zip.subarray(at + 30, at + 30 + nameLength), readU16(zip, at + 6));
  if (localName !== entry.name) throw new ZipFormatError(`member ${entry.name} is named ${localName} in its local header`);
  const start = at + 30 + nameLength + readU16(zip, at + 28);
  if (start + entry.compressedSize > directoryStart) throw new ZipFormatError(`member ${entry.name} runs past the end of the data`);
  return start;
}

function inflateCapped(data: Uint8Array, expected: number, name: string): Uint8Array {
  const out = new Uint8Array(expected);
  let filled = 0;
  let done = false;
  const inflater = new (loadFflate().Inflate)((chunk, final) => {
    if (filled + chunk.length > expected) throw new ZipFormatError(`member ${name} inflates to more than the ${expected} bytes its header declares`);
    out.set(chunk, filled);
    filled += chunk.length;
    if (final) done = true;
  });
  for (let at = 0; at < data.length; at += INFLATE_SLICE) {
    const end = Math.min(at + INFLATE_SLICE, data.length);
    inflater.push(data.subarray(at, end), end === data.length);
  }
  if (data.length === 0) inflater.push(new Uint8Array(0), true);
  if (!done || filled !== expected) throw new ZipFormatError(`member ${name} inflates to ${filled} bytes, its header declares ${expected}`);
  return out;
}

/**
 * Every file member of `zip` by name. Throws ZipFormatError (the caller names the file)
 * for a duplicate name, a member over the limits, encryption, an unknown compression,
 * a size or CRC that does not match, or a corrupt structure.
 */
export function readZipMembers(zip: Uint8Array, limits: ZipLimits): Map<string, Uint8Array> {
  const { entries, directoryStart } = readCentralDirectory(zip, limits);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) throw new ZipFormatError(`member ${entry.name} appears twice (which one a tool takes is not defined)`);
    seen.add(entry.name);
    if (entry.size > limits.memberBytes) throw new ZipFormatError(`member ${entry.name} is ${entry.size} bytes uncompressed, over the limit of ${limits.memberBytes}`);
    if (entry.flags & FLAG_ENCRYPTED) throw new ZipFormatError(`member ${entry.name} is encrypted`);
    if (entry.method !== STORED && entry.method !== DEFLATED) throw new ZipFormatError(`member ${entry.name} uses compression method ${entry.method} (only stored and deflate are read)`);
  }
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const start = dataStart(zip, entry, directoryStart);
    const raw = zip.subarray(start, start + entry.compressedSize);
    let data: Uint8Array;
    if (entry.method === STORED) {
      if (entry.compressedSize !== entry.size) throw new ZipFormatError(`member ${entry.name} is stored but its sizes differ`);
      data = raw.slice();
    } else {
      try {
        data = inflateCapped(raw, entry.size, entry.name);
      } catch (e) {
        if (e instanceof ZipFormatError) throw e;
        throw new ZipFormatError(`member ${entry.name} is corrupt (${(e as Error).message})`);
      }
    }
    if (crc32(data) !== entry.crc) throw new ZipFormatError(`member ${entry.name} is corrupt (CRC-32 mismatch)`);
    files.set(entry.name, data);
  }
  return files;
}
