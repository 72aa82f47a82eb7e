import { createHmacDrbg } from '@noble/curves/utils';
import { createECDH, createHash, createHmac } from 'node:crypto';
import { p256ScalarField } from '../core/p256';

/**
 * Deterministic ECDSA over P-256 with SHA-256 (RFC 6979, s not normalised to low-S): the
 * signatures nrfutil makes, identical to noble's `p256.sign(h, d, { lowS: false })`.
 *
 * Why not noble's sign alone: a fleet signs thousands of packages, and noble spends most
 * of a signature (~0.35 ms) computing the nonce point k·G in BigInt arithmetic. Here the
 * pieces come from noble (the RFC 6979 HMAC-DRBG and its P-256 scalar field) and from
 * OpenSSL through Node (HMAC-SHA-256, and k·G, which an ECDH "public key for this private
 * key" computes in constant time); only their composition below, the textbook
 * s = k⁻¹(h + r·d) mod n, is ours. Tests compare it with noble and RFC 6979's vectors.
 */
const Fn = p256ScalarField;
const BYTES = 32;

const hmacSha256 = (key: Uint8Array, ...messages: Uint8Array[]): Uint8Array => {
  const mac = createHmac('sha256', key);
  for (const m of messages) mac.update(m);
  return mac.digest();
};
const nonceGenerator = createHmacDrbg<{ r: bigint; s: bigint }>(BYTES, BYTES, hmacSha256);

/** x coordinate of k·G, computed by OpenSSL (a new object each time: the nonce must not linger). */
function nonceX(kBytes: Uint8Array): bigint {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(kBytes);
  const point = ecdh.getPublicKey(); // 0x04 ‖ x ‖ y
  return bytesToBigInt(point.subarray(1, 1 + BYTES));
}

/**
 * Not noble's bytesToNumberBE: that one refuses Buffers (and arrays from another realm,
 * such as jest's), and every input here is a Buffer from Node's crypto or the caller.
 */
function bytesToBigInt(bytes: Uint8Array): bigint {
  return BigInt('0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex'));
}

/** r‖s, 32 bytes each, big-endian. */
export function signP256Deterministic(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  const d = bytesToBigInt(privateKey);
  if (privateKey.length !== BYTES || !Fn.isValidNot0(d)) throw new Error('not a P-256 private key');
  // RFC 6979 3.2: h1 = H(m); the DRBG is seeded with int2octets(d) ‖ bits2octets(h1).
  const h = Fn.create(bytesToBigInt(createHash('sha256').update(message).digest()));
  const seed = Buffer.concat([Fn.toBytes(d), Fn.toBytes(h)]);
  const { r, s } = nonceGenerator(seed, (kBytes) => {
    const k = bytesToBigInt(kBytes); // bits2int: qlen = hlen = 256, no shift
    if (!Fn.isValidNot0(k)) return undefined; // step H.3: k must be in [1, n-1]
    const r = Fn.create(nonceX(kBytes));
    if (r === 0n) return undefined;
    const s = Fn.mul(Fn.inv(k), Fn.add(h, Fn.mul(r, d)));
    if (s === 0n) return undefined;
    return { r, s };
  });
  return Buffer.concat([Fn.toBytes(r), Fn.toBytes(s)]);
}
