import zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, as zlib and Python's binascii.crc32). Node's zlib.crc32
 * (Node >= 20.15) is used instead of a hand-written table.
 */
export function crc32(bytes: Uint8Array, initial = 0): number {
  return zlib.crc32(bytes, initial) >>> 0;
}
