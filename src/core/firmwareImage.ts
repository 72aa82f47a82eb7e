import { LARGEST_FLASH_BYTES } from './bootloaderLimits';
import { latin1Text } from './bytes';
import { NrfutilError } from './errors';
import { parseIntelHex, Segment } from './intelHex';

/** Marker word of the SoftDevice information structure (offset 4 into it). */
const SD_MAGIC = 0x51b1e5db;
/** Everything at or above this address is UICR/FICR, not firmware. */
const UICR_START = 0x10000000;
const MBR_PAGE_END = 0x1000;

/**
 * Intel HEX of a full 1 MiB flash in the usual 16-byte records is about 2.9 MB; 16 MiB
 * leaves room for short records and extra sections and refuses what cannot be firmware
 * before it is parsed.
 */
export const LARGEST_HEX_FILE_BYTES = 16 * 1024 * 1024;

export interface FirmwareImage {
  /** Normalised image bytes: what goes into the package's .bin. */
  bin: Uint8Array;
  /** Absolute address of bin[0] (0 for a .bin input). */
  startAddress: number;
}

function roundUp4(length: number): number {
  return (length + 3) & ~3;
}

function wordAt(segments: Segment[], address: number): number | undefined {
  for (const { address: base, data } of segments) {
    if (address >= base && address + 4 <= base + data.length) {
      const o = address - base;
      return (data[o] | (data[o + 1] << 8) | (data[o + 2] << 16) | (data[o + 3] << 24)) >>> 0;
    }
  }
  return undefined;
}

/**
 * Where the MBR ends: a SoftDevice whose info structure sits at 0x3000 follows a
 * one-page MBR; one at 0x4000..0x7000 follows the older three-page MBR.
 */
function mbrEnd(segments: Segment[]): number {
  if (wordAt(segments, 0x3004) === SD_MAGIC) return 0x1000;
  for (const at of [0x4004, 0x5004, 0x6004, 0x7004]) if (wordAt(segments, at) === SD_MAGIC) return 0x3000;
  return MBR_PAGE_END;
}

/** Lays segments out from `start` to the highest address, gaps and rounding as 0xFF. */
function flatten(segments: Segment[], start: number): Uint8Array {
  const end = Math.max(...segments.map((s) => s.address + s.data.length));
  const bin = new Uint8Array(roundUp4(end - start)).fill(0xff);
  for (const { address, data } of segments) {
    const from = Math.max(address, start);
    if (from >= address + data.length) continue;
    bin.set(data.subarray(from - address), from - start);
  }
  return bin;
}

/** Keeps only bytes in [low, high). */
function clip(segments: Segment[], low: number, high: number): Segment[] {
  const out: Segment[] = [];
  for (const { address, data } of segments) {
    const from = Math.max(address, low);
    const to = Math.min(address + data.length, high);
    if (from < to) out.push({ address: from, data: data.subarray(from - address, to - address) });
  }
  return out;
}

/** Intel HEX firmware → the image nrfutil puts in a package (MBR and UICR dropped). */
export function imageFromHexSegments(segments: Segment[], source: string): FirmwareImage {
  const firmware = clip(segments, MBR_PAGE_END, UICR_START);
  if (firmware.length === 0) throw new NrfutilError(`${source}: no firmware bytes between 0x1000 and 0x10000000 (empty image)`);
  const lowest = Math.min(...firmware.map((s) => s.address));
  const start = Math.max(mbrEnd(segments), lowest);
  const kept = clip(firmware, start, UICR_START);
  if (kept.length === 0) throw new NrfutilError(`${source}: no firmware bytes after the MBR (empty image)`);
  const end = Math.max(...kept.map((s) => s.address + s.data.length));
  // Checked before the gaps are filled: two far-apart records would otherwise make an
  // image of hundreds of megabytes.
  if (end - start > LARGEST_FLASH_BYTES)
    throw new NrfutilError(`${source}: the firmware spans 0x${start.toString(16)}..0x${end.toString(16)} (${end - start} bytes), more than the largest nRF5 flash (${LARGEST_FLASH_BYTES} bytes)`);
  return { bin: flatten(kept, start), startAddress: start };
}

/** A raw .bin: bytes from address 0, rounded up to a word with 0xFF. */
export function imageFromBin(bytes: Uint8Array, source: string): FirmwareImage {
  if (bytes.length === 0) throw new NrfutilError(`${source}: the file is empty`);
  if (bytes.length > LARGEST_FLASH_BYTES) throw new NrfutilError(`${source}: ${bytes.length} bytes, more than the largest nRF5 flash (${LARGEST_FLASH_BYTES} bytes)`);
  const bin = new Uint8Array(roundUp4(bytes.length)).fill(0xff);
  bin.set(bytes);
  return { bin, startAddress: 0 };
}

/**
 * Firmware file contents → image; the file name decides .bin (raw) or Intel HEX, case
 * sensitively as nrfutil does (`APP.BIN` is read as Intel HEX).
 */
export function loadFirmwareImage(fileName: string, contents: Uint8Array): FirmwareImage {
  if (fileName.endsWith('.bin')) return imageFromBin(contents, fileName);
  if (contents.length > LARGEST_HEX_FILE_BYTES)
    throw new NrfutilError(`${fileName}: ${contents.length} bytes of Intel HEX, more than any nRF5 image needs (at most ${LARGEST_HEX_FILE_BYTES}); is this the right file?`);
  const text = latin1Text(contents);
  return imageFromHexSegments(parseIntelHex(text, fileName), fileName);
}

/**
 * `fw/app.hex` → `app.bin`: every `.hex` in the base name becomes `.bin`, as nrfutil
 * does. The base name is POSIX's (os.path.basename): a backslash is part of the name.
 */
export function packageBinName(inputPath: string): string {
  const base = inputPath.split('/').pop() ?? inputPath;
  return base.split('.hex').join('.bin');
}

/** `app.bin` → `app.dat`. */
export function packageDatName(binName: string): string {
  return binName.split('.bin').join('.dat');
}
