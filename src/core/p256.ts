import { createCurve } from '@noble/curves/_shortw_utils';
import { Field } from '@noble/curves/abstract/modular';
import { sha256 } from '@noble/hashes/sha2';

/**
 * P-256 (secp256r1, prime256v1) as noble's own `@noble/curves/p256` defines it, but built on
 * first use. That module (noble's nist.js) builds P-256, P-384 and P-521 with their hashes
 * as it loads, a few milliseconds of every run, and most runs need no curve at all
 * (pkg generate signs through OpenSSL and needs only the scalar field below).
 */
export const P256 = {
  // the domain parameters (SEC 2 2.4.2, FIPS 186-4 D.1.2.3)
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
  b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  Gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  Gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
} as const;

function buildCurve() {
  return createCurve({ ...P256, h: 1n, Fp: Field(P256.p), lowS: false }, sha256);
}
let curve: ReturnType<typeof buildCurve> | undefined;

/** noble's P-256 curve (ECDSA, points), built on the first call. */
export function p256(): ReturnType<typeof buildCurve> {
  return (curve ??= buildCurve());
}

/**
 * Whether affine (x, y) is a point of P-256: both below p and y² = x³ + ax + b. The
 * curve's cofactor is 1, so that is all a public key must satisfy (noble's assertValidity
 * says the same) and it needs no curve object.
 */
export function isP256Point(x: bigint, y: bigint): boolean {
  const { p, a, b } = P256;
  if (x >= p || y >= p) return false;
  // Horner form with a reduction per step keeps the numbers at 512 bits (faster in BigInt)
  return (y * y) % p === ((((x * x) % p) + a) * x + b) % p;
}

/** Arithmetic modulo the group order n (cheap to build: no curve). */
export const p256ScalarField = Field(P256.n);
