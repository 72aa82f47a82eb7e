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

type Crc32 = (bytes: Uint8Array, initial: number) => number;
let native: Crc32 | undefined;

/**
 * A platform's own CRC-32 with the same answers (Node's zlib.crc32, installed by
 * src/node/nodeCrypto.ts): the table loop below runs interpreted in a short-lived CLI,
 * ~3 ms for a 200 KB application in `settings generate`, zlib's well under 0.1 ms.
 */
export function useNativeCrc32(next: Crc32 | undefined): void {
  native = next;
}

/** `initial` continues a CRC over more bytes, as zlib.crc32(data, value) does. */
export function crc32(bytes: Uint8Array, initial = 0): number {
  return native ? native(bytes, initial) : portableCrc32(bytes, initial);
}

export function portableCrc32(bytes: Uint8Array, initial = 0): number {
  let c = ~initial >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
