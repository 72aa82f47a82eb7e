import { createECDH, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { NrfutilError, UsageError } from '../core/errors';
import { publicKeyFromJwk, scalarFromJwk } from '../core/keyEncoding';
import { signP256Deterministic } from '../node/deterministicEcdsa';
import { rememberPublicKeyObject } from '../node/nodeCrypto';
import type { KeyProvider, KeyProviderFactory, KeyReference, ProviderContext } from './keyProvider';
import { writeFileAtomic } from '../node/atomicFile';
import { isPkcs11Uri } from './pkcs11/uri';

/**
 * The common case, one unencrypted SEC1 or PKCS#8 block, read ~3x faster than the general
 * PEM path: OpenSSL is told the DER type instead of trying each of its decoders in turn,
 * which a batch of thousands of key files notices. Only the base64 armour is undone here
 * (no ASN.1); anything unusual, or a failure, goes the general way for its error message.
 */
const PLAIN_PRIVATE_KEY_PEM = /^-----BEGIN (EC PRIVATE KEY|PRIVATE KEY)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----\s*$/;

function privateKeyFromPlainPem(text: string): KeyObject | undefined {
  const match = PLAIN_PRIVATE_KEY_PEM.exec(text);
  if (!match) return undefined;
  try {
    return createPrivateKey({ key: Buffer.from(match[2], 'base64'), format: 'der', type: match[1] === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8' });
  } catch {
    return undefined;
  }
}

/**
 * PEM text as nrfutil (python-ecdsa's from_pem) reads it: from the EC PRIVATE KEY block
 * when there is one (else the first -----BEGIN), with every line's surrounding white
 * space dropped, so leading text and indented lines are fine.
 */
export function normalisePem(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  let begin = lines.indexOf('-----BEGIN EC PRIVATE KEY-----');
  if (begin < 0) begin = lines.findIndex((l) => l.startsWith('-----BEGIN '));
  return begin < 0 ? text : lines.slice(begin).join('\n');
}

/** d·G, uncompressed x‖y: the public key as nrfutil derives it from the private scalar. */
function publicKeyOfScalar(d: Uint8Array): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  return new Uint8Array(ecdh.getPublicKey().subarray(1));
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** A P-256 private KeyObject from its scalar and public point (OpenSSL does the DER). */
function privateKeyObject(d: Uint8Array, xy: Uint8Array): KeyObject {
  return createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64url(d), x: b64url(xy.subarray(0, 32)), y: b64url(xy.subarray(32)) }, format: 'jwk' });
}

/** A P-256 key held in software (a PEM file's contents). */
export class SoftwareKey implements KeyProvider {
  private constructor(
    readonly label: string,
    private readonly d: Uint8Array | undefined,
    private readonly xy: Uint8Array,
  ) {}

  /**
   * `warn` hears about a private key file whose stored public key is not d·G: nrfutil
   * (python-ecdsa) ignores the stored one and derives it, and so do we.
   */
  static fromKeyObject(key: KeyObject, label: string, warn: (message: string) => void = () => {}): SoftwareKey {
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      const kind = key.asymmetricKeyType === 'ec' ? `an EC key on curve ${key.asymmetricKeyDetails?.namedCurve}` : `a ${key.asymmetricKeyType?.toUpperCase()} key`;
      throw new NrfutilError(`${label}: ${kind}, not a P-256 (prime256v1) key; create one with 'nrfutil keys generate'`);
    }
    const jwk = key.export({ format: 'jwk' });
    const d = key.type === 'private' ? scalarFromJwk(jwk) : undefined;
    let xy = publicKeyFromJwk(jwk);
    if (d) {
      const derived = publicKeyOfScalar(d);
      if (!sameBytes(derived, xy)) {
        warn(`${label}: the public key stored in the file does not belong to its private key; using the one derived from the private key, as nrfutil does`);
        xy = derived;
        key = privateKeyObject(d, xy);
      }
    }
    // Verifying with this key later needs its public KeyObject: deriving it here is far
    // cheaper than rebuilding it from x and y (a batch verifies every device's package).
    rememberPublicKeyObject(xy, key.type === 'private' ? createPublicKey(key) : key);
    return new SoftwareKey(label, d, xy);
  }

  /** Parses PEM text: SEC1 or PKCS#8 private keys (encrypted with a passphrase too), or SPKI public keys. */
  static fromPem(pem: string | Buffer, label: string, passphrase?: string, warn?: (message: string) => void): SoftwareKey {
    const text = normalisePem(pem.toString());
    if (!/-----BEGIN [A-Z ]+-----/.test(text)) throw new NrfutilError(`${label}: not a PEM key file (no -----BEGIN line)`);
    const encrypted = /ENCRYPTED/.test(text);
    if (encrypted && passphrase === undefined)
      throw new NrfutilError(`${label}: the key is encrypted; set NRFUTIL_KEY_PASSPHRASE or NRFUTIL_KEY_PASSPHRASE_FILE, or run on a terminal to be asked`);
    let key: KeyObject;
    try {
      key = /PUBLIC KEY/.test(text) ? createPublicKey(text) : (privateKeyFromPlainPem(text) ?? createPrivateKey({ key: text, format: 'pem', passphrase }));
    } catch (e) {
      if (encrypted) throw new NrfutilError(`${label}: cannot decrypt the key: wrong passphrase`);
      throw new NrfutilError(`${label}: not a readable PEM key (${(e as Error).message.replace(/^error:[^:]*:/, '')})`);
    }
    return SoftwareKey.fromKeyObject(key, label, warn);
  }

  /**
   * A new key from OpenSSL's ECDH, which hands over d and the public point directly.
   * Not generateKeyPairSync + export({format: 'jwk'}): on Node 20 that pair deadlocks
   * after a few thousand keys (reproduced without our code), which hung large
   * `keys generate --devices` runs.
   */
  static generate(label: string): SoftwareKey {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    // getPrivateKey drops leading zero bytes; the scalar is 32 bytes wide.
    const raw = ecdh.getPrivateKey();
    const d = new Uint8Array(32);
    d.set(raw, 32 - raw.length);
    const xy = new Uint8Array(ecdh.getPublicKey().subarray(1));
    rememberPublicKeyObject(xy, createPublicKey(privateKeyObject(d, xy)));
    return new SoftwareKey(label, d, xy);
  }

  get isPrivate(): boolean {
    return this.d !== undefined;
  }

  async publicKey(): Promise<Uint8Array> {
    return this.xy;
  }

  /** Synchronous signing, for batch paths that sign thousands of messages. */
  signSync(message: Uint8Array): Uint8Array {
    if (!this.d) throw new NrfutilError(`${this.label} holds only a public key; signing needs the private key`);
    return signP256Deterministic(this.d, message);
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    return this.signSync(message);
  }

  /**
   * SEC1 with the named curve and the derived public key, whatever shape the file had
   * (PKCS#8, explicit curve parameters, no or a wrong public key), as nrfutil prints it.
   */
  async exportPrivateKeyPem(): Promise<string> {
    if (!this.d) throw new UsageError(`${this.label} holds only a public key; there is no private key to display`);
    return privateKeyObject(this.d, this.xy).export({ type: 'sec1', format: 'pem' }).toString();
  }

  /** The private scalar, for the worker-thread signer (never logged). */
  privateScalar(): Uint8Array | undefined {
    return this.d;
  }
}

/** Passphrase for an encrypted PEM: env, then a file named by env, then a TTY prompt. */
async function passphraseFor(label: string, ctx: ProviderContext): Promise<string | undefined> {
  if (ctx.env.NRFUTIL_KEY_PASSPHRASE !== undefined) return ctx.env.NRFUTIL_KEY_PASSPHRASE;
  const file = ctx.env.NRFUTIL_KEY_PASSPHRASE_FILE;
  if (file) {
    try {
      return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new NrfutilError(`NRFUTIL_KEY_PASSPHRASE_FILE: cannot read ${file}`);
    }
  }
  return ctx.promptSecret ? ctx.promptSecret(`Passphrase for ${label}: `) : undefined;
}

export function readKeyFile(path: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NrfutilError(`File not found: ${path}`);
    if (code === 'EISDIR') throw new NrfutilError(`${path} is a directory, not a key file`);
    throw new NrfutilError(`Cannot read key file ${path} (${code})`);
  }
}

/** Opens a PEM file, asking for a passphrase only when the file is encrypted. */
export async function openPemFile(path: string, ctx: ProviderContext): Promise<SoftwareKey> {
  const pem = readKeyFile(path);
  const passphrase = /ENCRYPTED/.test(pem.toString()) ? await passphraseFor(path, ctx) : undefined;
  return SoftwareKey.fromPem(pem, path, passphrase, ctx.warn);
}

/** Writes a new private key as SEC1 PEM, mode 0600, atomically. */
export async function writePrivateKeyPem(path: string, key: SoftwareKey): Promise<void> {
  writeFileAtomic(path, await key.exportPrivateKeyPem(), 0o600);
}

export const pemFileProvider: KeyProviderFactory = {
  name: 'pem-file',
  // the file is read again in a worker thread (a passphrase from the environment only)
  capabilities: { workerSafe: true, maxConcurrentSignatures: os.availableParallelism(), label: 'PEM file' },
  accepts: (ref: KeyReference) => ref.keyFile !== undefined && !isPkcs11Uri(ref.keyFile),
  hasKey: (ref) => fs.existsSync(ref.keyFile!),
  keyFile: (ref) => ref.keyFile!,
  open: (ref, ctx) => openPemFile(ref.keyFile!, ctx),
  async generate(ref) {
    const key = SoftwareKey.generate(ref.keyFile!);
    await writePrivateKeyPem(ref.keyFile!, key);
    return key;
  },
};
