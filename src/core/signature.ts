import { p256 } from '@noble/curves/p256';
import { signP256Deterministic } from './deterministicEcdsa';
import { createPublicKey, KeyObject, verify as cryptoVerify } from 'node:crypto';

/** Uncompressed public key as x‖y, 32 bytes each, big-endian (the provider's form). */
export type PublicKeyXY = Uint8Array;
/** ECDSA signature r‖s, 32 bytes each, big-endian (the provider's form). */
export type SignatureRS = Uint8Array;

function reverseHalves(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== 64) throw new Error(`expected 64 bytes, got ${bytes.length}`);
  // A loop, not slice().reverse(): Buffer#slice is a view, and reversing it would
  // corrupt the caller's bytes (e.g. a decoded init packet the signature covers).
  const out = new Uint8Array(64);
  for (let i = 0; i < 32; i++) {
    out[i] = bytes[31 - i];
    out[32 + i] = bytes[63 - i];
  }
  return out;
}

/**
 * The nRF5 bootloader (micro-ecc / nrf_crypto) reads r, s, x and y little-endian:
 * nrfutil reverses each 32-byte half. The same transform undoes itself.
 */
export const toLittleEndianHalves = reverseHalves;

/**
 * Deterministic ECDSA P-256/SHA-256 (RFC 6979, no low-S normalisation), as the recorded
 * cases: the same bytes as noble's sign, about 4x faster (see deterministicEcdsa.ts).
 */
export function signP256(privateKey: Uint8Array, message: Uint8Array): SignatureRS {
  return signP256Deterministic(privateKey, message);
}

/**
 * Verification uses Node's crypto (OpenSSL), an order of magnitude faster than a pure-JS
 * verify, which matters when a batch checks thousands of packages before writing them.
 * Signing stays with noble: OpenSSL's ECDSA nonces are random, not RFC 6979.
 */
export function verifyP256(publicKey: PublicKeyXY, message: Uint8Array, signature: SignatureRS): boolean {
  if (publicKey.length !== 64 || signature.length !== 64) return false;
  try {
    return cryptoVerify('sha256', message, { key: publicKeyObject(publicKey), dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false; // not a point on the curve
  }
}

/** Public KeyObjects by the x‖y array they were made for (arrays are not changed once made). */
const publicKeyObjects = new WeakMap<Uint8Array, KeyObject>();

/** Lets a provider that already holds the key's KeyObject spare verification rebuilding it. */
export function rememberPublicKeyObject(publicKey: PublicKeyXY, key: KeyObject): void {
  publicKeyObjects.set(publicKey, key);
}

function publicKeyObject(publicKey: PublicKeyXY): KeyObject {
  let key = publicKeyObjects.get(publicKey);
  if (!key) {
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
    key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64(publicKey.subarray(0, 32)), y: b64(publicKey.subarray(32)) }, format: 'jwk' });
    publicKeyObjects.set(publicKey, key);
  }
  return key;
}

/** x‖y of the public key for a private scalar. */
export function publicKeyOf(privateKey: Uint8Array): PublicKeyXY {
  return p256.getPublicKey(privateKey, false).subarray(1);
}

