import { createHash, createPublicKey, KeyObject, verify as cryptoVerify } from 'node:crypto';
import type * as Zlib from 'node:zlib';
import { CryptoBackend, useCryptoBackend } from '../core/cryptoBackend';

/**
 * Core's SHA-256 and ECDSA verification done by OpenSSL: an order of magnitude faster
 * than pure JS, which matters when a batch checks thousands of packages before writing
 * them. Importing this module installs it (the CLI, the Node entry point and the batch
 * workers all do); the answers are the portable backend's (see test/cryptoBackend.test.ts).
 */

/** Public KeyObjects by the x‖y array they were made for (arrays are not changed once made). */
const publicKeyObjects = new WeakMap<Uint8Array, KeyObject>();

/** Lets a provider that already holds the key's KeyObject spare verification rebuilding it. */
export function rememberPublicKeyObject(publicKey: Uint8Array, key: KeyObject): void {
  publicKeyObjects.set(publicKey, key);
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  let key = publicKeyObjects.get(publicKey);
  if (!key) {
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
    key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64(publicKey.subarray(0, 32)), y: b64(publicKey.subarray(32)) }, format: 'jwk' });
    publicKeyObjects.set(publicKey, key);
  }
  return key;
}

export const nodeCrypto: CryptoBackend = {
  name: 'node',
  sha256: (bytes) => {
    const digest = createHash('sha256').update(bytes).digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  },
  // node:zlib is loaded on the first CRC, not with this module: most commands compute none
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crc32: (bytes, initial) => (require('node:zlib') as typeof Zlib).crc32(bytes, initial),
  verifyP256(publicKey, message, signature) {
    try {
      return cryptoVerify('sha256', message, { key: publicKeyObject(publicKey), dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false; // not a point on the curve
    }
  },
};

useCryptoBackend(nodeCrypto);
