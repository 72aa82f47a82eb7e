import { cryptoBackend } from './cryptoBackend';

/**
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320: zlib's and Python's
 * binascii.crc32), portable: a 256-entry table, no Node zlib, so it runs in browsers
 * and apps. Settings pages and Zigbee triggers need it on at most a few hundred KB.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** `initial` continues a CRC over more bytes, as zlib.crc32(data, value) does. */
export function crc32(bytes: Uint8Array, initial = 0): number {
  const backend = cryptoBackend();
  return backend.crc32 ? backend.crc32(bytes, initial) : portableCrc32(bytes, initial);
}

export function portableCrc32(bytes: Uint8Array, initial = 0): number {
  let c = ~initial >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
