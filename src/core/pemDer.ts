import { base64 } from '@scure/base';
import { isP256Point } from './p256';
import { equalBytes, fromHex, toHex } from './bytes';
import { KeyError } from './errors';
import { publicKeyOf } from './signature';

/**
 * P-256 keys from PEM text without Node's crypto, for browsers and apps: SEC1
 * (`EC PRIVATE KEY`) and PKCS#8 (`PRIVATE KEY`) private keys, SPKI (`PUBLIC KEY`)
 * public keys, the forms `keys generate` and OpenSSL write. A minimal DER reader:
 * only the structure these three need, with every tag and the curve checked.
 */
export interface ParsedKey {
  /** The private scalar (32 bytes), absent for a public key. */
  d?: Uint8Array;
  /** The public key x‖y (64 bytes). */
  xy: Uint8Array;
}

const OID_EC_PUBLIC_KEY = fromHex('2a8648ce3d0201'); // 1.2.840.10045.2.1
const OID_PRIME256V1 = fromHex('2a8648ce3d030107'); // 1.2.840.10045.3.1.7
const CURVE_NAMES: Record<string, string> = {
  '2b8104000a': 'secp256k1',
  '2b81040022': 'secp384r1',
  '2b81040023': 'secp521r1',
};

const TAG = { INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, OID: 0x06, SEQUENCE: 0x30, CONTEXT_0: 0xa0, CONTEXT_1: 0xa1 } as const;

class Der {
  private at = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly label: string,
  ) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.bytes[this.at];
  }

  /** The next element's contents, which must have tag `tag`. */
  read(tag: number, what: string): Uint8Array {
    const bad = () => new KeyError(`${this.label}: not a readable PEM key (malformed DER: ${what})`);
    if (this.bytes[this.at] !== tag) throw bad();
    let length = this.bytes[this.at + 1];
    let at = this.at + 2;
    if (length === undefined) throw bad();
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3) throw bad();
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + this.bytes[at++];
    }
    if (at + length > this.bytes.length) throw bad();
    this.at = at + length;
    return this.bytes.subarray(at, at + length);
  }
}

function curveCheck(oid: Uint8Array, label: string): void {
  if (equalBytes(oid, OID_PRIME256V1)) return;
  const hex = [...oid].map((b) => b.toString(16).padStart(2, '0')).join('');
  const curve = CURVE_NAMES[hex] ?? 'another curve';
  throw new KeyError(`${label}: an EC key on curve ${curve}, not a P-256 (prime256v1) key; create one with 'nrfutil keys generate'`);
}

/** AlgorithmIdentifier { ecPublicKey, namedCurve } (PKCS#8 and SPKI). */
function readAlgorithm(outer: Der, label: string): void {
  const algorithm = new Der(outer.read(TAG.SEQUENCE, 'algorithm'), label);
  const oid = algorithm.read(TAG.OID, 'algorithm id');
  if (!equalBytes(oid, OID_EC_PUBLIC_KEY)) throw new KeyError(`${label}: not an EC key; nrfutil keys are P-256 (prime256v1) EC keys`);
  if (algorithm.peekTag() !== TAG.OID) throw new KeyError(`${label}: EC key with explicit curve parameters; only named P-256 (prime256v1) keys are supported`);
  curveCheck(algorithm.read(TAG.OID, 'curve'), label);
}

function pointToXY(bitString: Uint8Array, label: string): Uint8Array {
  // BIT STRING: unused-bits byte 0, then the uncompressed point 04‖x‖y.
  if (bitString.length !== 66 || bitString[0] !== 0 || bitString[1] !== 4)
    throw new KeyError(`${label}: the public key is not an uncompressed P-256 point`);
  const xy = bitString.slice(2);
  if (!isP256Point(BigInt(`0x${toHex(xy.subarray(0, 32))}`), BigInt(`0x${toHex(xy.subarray(32))}`)))
    throw new KeyError(`${label}: the public key is not a point on P-256`);
  return xy;
}

/** ECPrivateKey (RFC 5915); `curveKnown` when PKCS#8 already named the curve. */
function readEcPrivateKey(der: Uint8Array, label: string, curveKnown: boolean): ParsedKey {
  const key = new Der(new Der(der, label).read(TAG.SEQUENCE, 'ECPrivateKey'), label);
  const version = key.read(TAG.INTEGER, 'version');
  if (version.length !== 1 || version[0] !== 1) throw new KeyError(`${label}: not a readable PEM key (EC private key version ${version[0]})`);
  const raw = key.read(TAG.OCTET_STRING, 'private key');
  let curveSeen = curveKnown;
  if (key.peekTag() === TAG.CONTEXT_0) {
    curveCheck(new Der(key.read(TAG.CONTEXT_0, 'parameters'), label).read(TAG.OID, 'curve'), label);
    curveSeen = true;
  }
  if (!curveSeen) throw new KeyError(`${label}: the EC private key does not name its curve; nrfutil keys are P-256 (prime256v1)`);
  if (raw.length > 32) throw new KeyError(`${label}: the private key is ${raw.length} bytes, a P-256 key has 32`);
  const d = new Uint8Array(32);
  d.set(raw, 32 - raw.length);
  let xy: Uint8Array;
  try {
    xy = publicKeyOf(d);
  } catch {
    throw new KeyError(`${label}: the private key is out of range for P-256`);
  }
  return { d, xy };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/** A P-256 key from PEM text; `label` names the input in error messages. */
export function parsePemKey(text: string, label: string): ParsedKey {
  const block = PEM_BLOCK.exec(text);
  if (!block) throw new KeyError(`${label}: not a PEM key (no -----BEGIN line)`);
  const [, type, body] = block;
  if (/ENCRYPTED/.test(type) || /Proc-Type:.*ENCRYPTED/.test(body))
    throw new KeyError(`${label}: the key is encrypted; decrypt it first (openssl ec -in key.pem -out plain.pem) or use the nrfutil-ts command line`);
  let der: Uint8Array;
  try {
    der = base64.decode(body.replace(/\s+/g, ''));
  } catch {
    throw new KeyError(`${label}: not a readable PEM key (bad base64)`);
  }
  switch (type) {
    case 'EC PRIVATE KEY':
      return readEcPrivateKey(der, label, false);
    case 'PRIVATE KEY': {
      const info = new Der(new Der(der, label).read(TAG.SEQUENCE, 'PrivateKeyInfo'), label);
      info.read(TAG.INTEGER, 'version');
      readAlgorithm(info, label);
      return readEcPrivateKey(info.read(TAG.OCTET_STRING, 'private key'), label, true);
    }
    case 'PUBLIC KEY': {
      const spki = new Der(new Der(der, label).read(TAG.SEQUENCE, 'SubjectPublicKeyInfo'), label);
      readAlgorithm(spki, label);
      return { xy: pointToXY(spki.read(TAG.BIT_STRING, 'public key'), label) };
    }
    default:
      throw new KeyError(`${label}: a PEM "${type}", not a P-256 key (EC PRIVATE KEY, PRIVATE KEY or PUBLIC KEY)`);
  }
}

/** SPKI DER of a P-256 public key: this fixed header, then 04‖x‖y. */
const SPKI_P256_HEADER = fromHex('3059301306072a8648ce3d020106082a8648ce3d030107034200');

/** The public key as SPKI PEM, the text OpenSSL (and so nrfutil) writes. */
export function publicKeyToPem(xy: Uint8Array): string {
  const der = new Uint8Array(SPKI_P256_HEADER.length + 65);
  der.set(SPKI_P256_HEADER);
  der[SPKI_P256_HEADER.length] = 4;
  der.set(xy, SPKI_P256_HEADER.length + 1);
  const b64 = base64.encode(der);
  const lines = b64.match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN PUBLIC KEY-----\n${lines}\n-----END PUBLIC KEY-----\n`;
}
