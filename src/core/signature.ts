import { p256 } from './p256';
import { cryptoBackend } from './cryptoBackend';

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
 * A Uint8Array of this realm: noble refuses Buffers and arrays made in another realm
 * (a jest sandbox, an iframe), so callers' bytes are viewed, not copied, as a plain one.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes instanceof Uint8Array && bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Deterministic ECDSA P-256/SHA-256 (RFC 6979, no low-S normalisation): the signatures
 * nrfutil makes. Portable (noble); Node's SoftwareKey signs with a faster equivalent
 * (src/node/deterministicEcdsa.ts, same bytes).
 */
export function signP256(privateKey: Uint8Array, message: Uint8Array): SignatureRS {
  return p256().sign(plainBytes(message), plainBytes(privateKey), { prehash: true, lowS: false }).toCompactRawBytes();
}

/** Whether `signature` (r‖s) is `publicKey`'s over SHA-256(message); false for malformed input. */
export function verifyP256(publicKey: PublicKeyXY, message: Uint8Array, signature: SignatureRS): boolean {
  if (publicKey.length !== 64 || signature.length !== 64) return false;
  return cryptoBackend().verifyP256(publicKey, message, signature);
}

/** x‖y of the public key for a private scalar. */
export function publicKeyOf(privateKey: Uint8Array): PublicKeyXY {
  return p256().getPublicKey(plainBytes(privateKey), false).subarray(1);
}
