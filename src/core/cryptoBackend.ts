import { p256 } from './p256';
import { sha256 as nobleSha256 } from '@noble/hashes/sha256';

/**
 * The primitives core needs that a platform may do faster natively: SHA-256, ECDSA P-256
 * verification and CRC-32. Portable by default (noble, audited pure JS; core's CRC table);
 * the Node entry point and the CLI swap in OpenSSL and zlib (src/node/nodeCrypto.ts), which
 * a fleet verifying thousands of packages notices, and a short-lived CLI too (the portable
 * CRC loop runs interpreted: ~3 ms on a 200 KB image). Both give the same answers: tests
 * compare them.
 */
export interface CryptoBackend {
  readonly name: string;
  sha256(bytes: Uint8Array): Uint8Array;
  /** ECDSA P-256/SHA-256 over `message`; key x‖y and signature r‖s, big-endian, 64 bytes each. */
  verifyP256(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** CRC-32 (zlib's); `initial` continues one. Absent: core's portable table. */
  crc32?(bytes: Uint8Array, initial: number): number;
}

/** See signature.ts's plainBytes (not imported: signature.ts imports this module). */
const plain = (bytes: Uint8Array) =>
  bytes instanceof Uint8Array && bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const portableCrypto: CryptoBackend = {
  name: 'portable',
  sha256: (bytes) => nobleSha256(plain(bytes)),
  verifyP256(publicKey, message, signature) {
    try {
      // prehash: noble hashes the message itself; lowS off: nrfutil's signatures are not normalised.
      const point = new Uint8Array(65);
      point[0] = 4;
      point.set(publicKey, 1);
      return p256().verify(plain(signature), plain(message), point, { prehash: true, lowS: false, format: 'compact' });
    } catch {
      return false; // not a point on the curve, or a malformed signature
    }
  },
};

let backend: CryptoBackend = portableCrypto;

export function cryptoBackend(): CryptoBackend {
  return backend;
}

/** Replaces the primitives (Node's entry point installs OpenSSL's). */
export function useCryptoBackend(next: CryptoBackend): void {
  backend = next;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return backend.sha256(bytes);
}
