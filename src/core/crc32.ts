import zlib from 'node:zlib';

// zlib.crc32 exists since Node 20.15 (we require Node >= 20.15) but @types/node 20
// does not declare it yet.
const zlibCrc32 = (zlib as unknown as { crc32(data: Uint8Array, value?: number): number }).crc32;

/**
 * CRC-32 (IEEE 802.3, as zlib and Python's binascii.crc32), from Node's zlib rather
 * than a hand-written table.
 */
export function crc32(bytes: Uint8Array, initial = 0): number {
  return zlibCrc32(bytes, initial) >>> 0;
}
