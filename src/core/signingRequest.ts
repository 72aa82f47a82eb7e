import { p256 } from './p256';
import { base64 } from '@scure/base';
import { equalBytes, fromHex, toHex } from './bytes';
import { sha256 } from './cryptoBackend';
import type { PackageFiles, PackagePlan, PlannedImage } from './dfuPackage';
import { NrfutilError } from './errors';
import { BootValidation, encodeInitCommand, encodeInitPacket, ValidationType } from './initPacket';
import { buildManifest } from './manifest';
import type { PackageImage } from './packageReader';
import { signedPackageProblems } from './signingCheck';
import { bootValidationCoverage } from './bootValidationCoverage';
import { plainBytes, toLittleEndianHalves, verifyP256 } from './signature';

/**
 * Two-phase signing: a package is written unsigned with a request naming every message
 * to sign; the signatures, made where the key lives (an HSM, a KMS, Vault, openssl), are
 * inserted afterwards. Each message is signed as ECDSA P-256 over SHA-256(message).
 *
 * An image with ECDSA boot validations takes two rounds: its init packet carries the
 * boot-validation signatures, so the init's own message exists only once they are in.
 */
export const SIGNING_REQUEST_FORMAT = 'nrfutil-ts-signing-request/1';

export interface SigningItem {
  /** `<dat member>#init` or `<dat member>#boot-validation-<n>` (n: position in the init packet's list). */
  id: string;
  message: Uint8Array;
}

export interface SigningRequest {
  format: typeof SIGNING_REQUEST_FORMAT;
  /** SHA-256 (hex) of the unsigned package the request belongs to. */
  package: string;
  /** x‖y hex of the key that is to sign, when one was named. */
  publicKey: string | null;
  items: { id: string; message: string; sha256: string }[];
}

const isEcdsa = (bv: BootValidation) => bv.type === ValidationType.VALIDATE_ECDSA_P256_SHA256;

/** An image as two-phase signing sees it: its init (boot-validation bytes as they stand). */
interface TwoPhaseImage {
  kind: PlannedImage['kind'];
  binName: string;
  datName: string;
  bin: Uint8Array;
  init: PlannedImage['init'];
}

/** What each image still needs signed: pending ECDSA boot validations, else its init. */
function pendingItemsOf(images: TwoPhaseImage[]): SigningItem[] {
  const items: SigningItem[] = [];
  for (const image of images) {
    const pending = image.init.bootValidation.flatMap((bv, i) => (isEcdsa(bv) && bv.bytes.length === 0 ? [i] : []));
    if (pending.length) for (const i of pending) items.push({ id: `${image.datName}#boot-validation-${i}`, message: bootValidationCoverage(image, i) });
    else items.push({ id: `${image.datName}#init`, message: encodeInitCommand(image.init) });
  }
  return items;
}

function unsignedFiles(images: TwoPhaseImage[]): PackageFiles {
  const files: PackageFiles = new Map();
  for (const image of images) {
    files.set(image.binName, image.bin);
    files.set(image.datName, encodeInitPacket(image.init));
  }
  files.set('manifest.json', new TextEncoder().encode(buildManifest(images)));
  return files;
}

/** The unsigned package and its items for a fresh plan (`pkg generate --signing-request`). */
export function unsignedFromPlan(plan: PackagePlan): { files: PackageFiles; items: SigningItem[] } {
  return { files: unsignedFiles(plan.images), items: pendingItemsOf(plan.images) };
}

/**
 * The unsigned package and its items for a package read back (`pkg sign --signing-request`).
 * A signed package starts over: its boot validations belong to its old key. An unsigned
 * one keeps boot-validation signatures already inserted (the first of two rounds).
 */
export function unsignedFromImages(images: PackageImage[]): { files: PackageFiles; items: SigningItem[] } {
  const twoPhase = images.map((image): TwoPhaseImage => {
    const init = image.packet.init;
    const keep = (bv: BootValidation) => !isEcdsa(bv) || (!image.packet.signed && bv.bytes.length > 0);
    return {
      kind: image.kind,
      binName: image.binFile,
      datName: image.datFile,
      bin: image.bin,
      init: { ...init, bootValidation: init.bootValidation.map((bv) => (keep(bv) ? bv : { type: bv.type, bytes: new Uint8Array() })) },
    };
  });
  return { files: unsignedFiles(twoPhase), items: pendingItemsOf(twoPhase) };
}

/**
 * Two-phase signing takes packages whose messages are all known up front (or after one
 * round of boot validations). In a Zigbee update the outer init packet signs the OTA
 * file, which holds the inner init packet's signature: refused, with the way that works.
 */
export function refuseZigbeeTwoPhase<T extends { plan: PackagePlan }>(read: T, name: string): T {
  if (read.plan.zigbee)
    throw new NrfutilError(
      `${name} is a Zigbee update: two-phase signing (--signing-request, --signatures) does not support it, because the outer init packet signs the OTA file, which holds the inner init packet's signature; sign it with pkg sign --key-file/--key-dir (a pkcs11: URI keeps the key in the HSM)`,
    );
  return read;
}

export function signingRequest(zip: Uint8Array, items: SigningItem[], publicKey?: Uint8Array): SigningRequest {
  return {
    format: SIGNING_REQUEST_FORMAT,
    package: toHex(sha256(zip)),
    publicKey: publicKey ? toHex(publicKey) : null,
    items: items.map((item) => ({ id: item.id, message: toHex(item.message), sha256: toHex(sha256(item.message)) })),
  };
}

/**
 * A signature as KMSs, Vault and OpenSSL return one: DER (`SEQUENCE { r, s }`) or raw
 * r‖s big-endian (64 bytes), as hex or base64. Returns r‖s, or undefined if it is neither.
 */
export function parseSignature(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  let bytes: Uint8Array;
  try {
    bytes = /^([0-9a-fA-F]{2})+$/.test(trimmed) ? fromHex(trimmed) : base64.decode(trimmed);
  } catch {
    return undefined;
  }
  if (bytes[0] === 0x30) {
    try {
      return p256().Signature.fromDER(plainBytes(bytes)).toCompactRawBytes();
    } catch {
      // not DER: perhaps 64 raw bytes whose r starts with 0x30
    }
  }
  return bytes.length === 64 ? bytes : undefined;
}

/** SIGS.json's `{"signatures": {"<id>": "<signature>"}}`; `source` names the file in errors. */
export function parseSignaturesJson(text: string, source: string): Record<string, unknown> {
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NrfutilError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const sigs = json?.signatures;
  if (!sigs || typeof sigs !== 'object' || Array.isArray(sigs)) throw new NrfutilError(`${source}: expected {"signatures": {"<item id>": "<signature>", ...}}`);
  return sigs as Record<string, unknown>;
}

export interface InsertResult {
  files: PackageFiles;
  /** True when every init packet is signed; false after the first of two rounds. */
  complete: boolean;
  /** What is still to sign (the second round's items) when not complete. */
  pending: SigningItem[];
}

/**
 * Inserts signatures made elsewhere into the unsigned package `--signing-request` wrote.
 * Every item must have exactly one signature that verifies with `publicKey` over the
 * item's message; any missing, extra, malformed or wrong one is an error naming the
 * item, and nothing is returned. A completed package is checked as the bootloader would.
 */
export function insertSignatures(images: PackageImage[], signatures: Record<string, unknown>, publicKey: Uint8Array, source: string, keyName: string): InsertResult {
  const signed = images.find((i) => i.packet.signed);
  if (signed) throw new NrfutilError(`${signed.datFile} is already signed; --signatures fills in the unsigned package that --signing-request wrote`);
  const { items } = unsignedFromImages(images);
  const wanted = new Set(items.map((i) => i.id));
  const extra = Object.keys(signatures).find((id) => !wanted.has(id));
  if (extra !== undefined) throw new NrfutilError(`${source}: a signature for '${extra}', which the package does not ask for (it asks for ${[...wanted].join(', ')})`);
  const bySignature = new Map<string, Uint8Array>();
  for (const item of items) {
    if (!(item.id in signatures)) throw new NrfutilError(`${source}: no signature for '${item.id}'`);
    const rs = parseSignature(signatures[item.id]);
    if (!rs) throw new NrfutilError(`${source}: the signature for '${item.id}' is malformed; give DER or 64-byte r‖s, as hex or base64`);
    if (!verifyP256(publicKey, item.message, rs))
      throw new NrfutilError(`${source}: the signature for '${item.id}' does not verify with ${keyName} over the item's message (another key, or other bytes signed?)`);
    bySignature.set(item.id, toLittleEndianHalves(rs));
  }

  const files: PackageFiles = new Map();
  const after: TwoPhaseImage[] = [];
  for (const image of images) {
    const init = image.packet.init;
    const initSignature = bySignature.get(`${image.datFile}#init`);
    const bootValidation = init.bootValidation.map((bv, i) => {
      const bytes = bySignature.get(`${image.datFile}#boot-validation-${i}`);
      return bytes ? { type: bv.type, bytes } : bv;
    });
    const next = { ...init, bootValidation };
    // the signature covers the init command exactly as the package holds it
    if (initSignature && !equalBytes(encodeInitCommand(init), image.packet.initBytes))
      throw new NrfutilError(`${image.datFile}: its init command is not in the canonical encoding; regenerate the unsigned package with --signing-request`);
    files.set(image.binFile, image.bin);
    files.set(image.datFile, encodeInitPacket(next, initSignature));
    after.push({ kind: image.kind, binName: image.binFile, datName: image.datFile, bin: image.bin, init: next });
  }
  files.set('manifest.json', new TextEncoder().encode(buildManifest(after)));
  const complete = images.every((image) => bySignature.has(`${image.datFile}#init`));
  if (complete) {
    const problems = signedPackageProblems(files, source, publicKey);
    if (problems.length) throw new NrfutilError(`the signed package does not verify with ${keyName}: ${problems[0]}`);
  }
  return { files, complete, pending: complete ? [] : pendingItemsOf(after) };
}
