import { fromHex } from './bytes';
import { KeyError, UsageError } from './errors';
import { KeyFormat, publicKeyText } from './keyDisplay';
import { parsePemKey } from './pemDer';
import { signP256, toLittleEndianHalves } from './signature';

/**
 * What signs a package: the public key (x‖y, 64 bytes) and ECDSA P-256 over SHA-256 of
 * a message (r‖s, 64 bytes), both big-endian. A KeyProvider has this shape; so can a
 * WebCrypto key, an HSM or a remote signing service.
 */
export interface SigningKey {
  publicKey(): Promise<Uint8Array>;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A key from PEM text: signs when it holds the private key. */
export interface PemKey extends SigningKey {
  readonly label: string;
  readonly isPrivate: boolean;
}

/**
 * A software key from PEM text: a P-256 private key (SEC1 `EC PRIVATE KEY` or PKCS#8
 * `PRIVATE KEY`, unencrypted) or a public key (`PUBLIC KEY`, verification only).
 * Signatures are deterministic (RFC 6979): the same bytes the command line writes.
 */
export function pemKey(pemText: string, label = 'PEM key'): PemKey {
  if (typeof pemText !== 'string') throw new UsageError(`${label}: pemKey takes the PEM text as a string`);
  const { d, xy } = parsePemKey(pemText, label);
  return {
    label,
    isPrivate: d !== undefined,
    publicKey: async () => xy.slice(),
    async sign(message: Uint8Array) {
      if (!d) throw new KeyError(`${label} holds only a public key; signing needs the private key`);
      return signP256(d, message);
    },
  };
}

/**
 * x‖y from a public key in the forms people hold one: 64 bytes x‖y (or 65 with the 04
 * prefix), PEM text (public or private key), or the 128 hex digits
 * `keys display --format hex` prints (each half little-endian, as the bootloader stores it).
 */
export function publicKeyFromText(key: Uint8Array | string, label = 'public key'): Uint8Array {
  if (typeof key === 'string') {
    if (/-----BEGIN/.test(key)) return parsePemKey(key, label).xy;
    const hex = key.replace(/^\s*Public \(verification\) key pk:/, '').replace(/\s+/g, '');
    if (/^[0-9a-fA-F]{128}$/.test(hex)) return toLittleEndianHalves(fromHex(hex));
    throw new KeyError(`${label}: neither PEM text nor the 128 hex digits 'keys display --key pk --format hex' prints`);
  }
  if (ArrayBuffer.isView(key)) {
    if (key.length === 65 && key[0] === 4) return key.slice(1);
    if (key.length !== 64) throw new KeyError(`${label}: ${key.length} bytes; a P-256 public key is 64 bytes (x‖y)`);
    return key;
  }
  throw new UsageError(`${label}: give x‖y bytes, PEM text or hex`);
}

/** Anything that names a public key: those forms, or a key object (a SigningKey, a KeyProvider). */
export type PublicKeyInput = Uint8Array | string | { publicKey(): Promise<Uint8Array> };

export async function resolvePublicKey(key: PublicKeyInput, label = 'public key'): Promise<Uint8Array> {
  if (typeof key === 'object' && key !== null && !ArrayBuffer.isView(key) && typeof key.publicKey === 'function')
    return publicKeyFromText(await key.publicKey(), label);
  return publicKeyFromText(key as Uint8Array | string, label);
}

/**
 * What `keys display --key pk --format <format>` writes with --out_file (printing adds a
 * newline): `code`/`dbgcode` the dfu_public_key.c (stamped with `now`, local time),
 * `hex` the bootloader's byte order, `pem` SPKI PEM.
 */
export function publicKeyCode(publicKey: Uint8Array | string, format: KeyFormat = 'code', now = new Date()): string {
  if (!['code', 'dbgcode', 'hex', 'pem'].includes(format)) throw new UsageError(`format: '${format}' is not one of code, dbgcode, hex, pem`);
  return publicKeyText(publicKeyFromText(publicKey), format, now);
}
