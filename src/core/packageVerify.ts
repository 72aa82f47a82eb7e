import { equalBytes, reversed, utf8Text } from './bytes';
import { sha256 } from './cryptoBackend';
import { BOOTLOADER_LIMITS, BootloaderLimits, initCommandLimitProblems, NO_SIZE_LIMITS } from './bootloaderLimits';
import { bootValidationCoverage } from './bootValidationCoverage';
import type { PackageFiles } from './dfuPackage';
import { DecodedInitPacket, FwType, FwTypeValue, SignatureType, ValidationType } from './initPacket';
import { decodeInitPacket } from './initPacketDecoder';
import { ManifestImageKind, ManifestImageRef, parseManifest } from './manifest';
import { isUnsafeMemberName, readPackageZip } from './packageZip';
import { PublicKeyXY, toLittleEndianHalves, verifyP256 } from './signature';
import { isZigbeeOtaImage, readZigbeeOta, ZigbeeOtaContents } from './zigbeeUpdateReader';

// A fleet checks thousands of packages that share one firmware buffer: hash it once.
const sha256Cache = new WeakMap<Uint8Array, Uint8Array>();
function sha256Of(bytes: Uint8Array): Uint8Array {
  let digest = sha256Cache.get(bytes);
  if (!digest) sha256Cache.set(bytes, (digest = sha256(bytes)));
  return digest;
}

/** What one image of a package came to. `problems` empty means the bootloader accepts it. */
export interface ImageVerdict {
  kind: ManifestImageKind;
  binFile: string;
  datFile: string;
  size?: number;
  signature: 'valid' | 'unsigned' | 'other-key' | 'unchecked';
  problems: string[];
  /** What the bootloader tolerates but pkg generate never writes; not part of the verdict. */
  warnings: string[];
}

export interface PackageVerdict {
  accepted: boolean;
  /** Problems with the package as a whole (zip, manifest, member names). */
  problems: string[];
  images: ImageVerdict[];
}

const EXPECTED_TYPES: Record<ManifestImageKind, FwTypeValue[]> = {
  application: [FwType.APPLICATION, FwType.EXTERNAL_APPLICATION],
  bootloader: [FwType.BOOTLOADER],
  softdevice: [FwType.SOFTDEVICE],
  softdevice_bootloader: [FwType.SOFTDEVICE_BOOTLOADER],
};
const TYPE_NAMES = Object.fromEntries(Object.entries(FwType).map(([name, value]) => [value, name]));

function expectedSize(packet: DecodedInitPacket): number {
  const { type, sdSize, blSize, appSize } = packet.init;
  if (type === FwType.SOFTDEVICE) return sdSize;
  if (type === FwType.BOOTLOADER) return blSize;
  if (type === FwType.SOFTDEVICE_BOOTLOADER) return sdSize + blSize;
  return appSize;
}

function checkSignature(packet: DecodedInitPacket, publicKey: PublicKeyXY): ImageVerdict['signature'] {
  if (!packet.signed) return 'unsigned';
  // The bootloader verifies ECDSA P-256 only; any other type fails its signature check.
  if (packet.signed.signatureType !== SignatureType.ECDSA_P256_SHA256) return 'other-key';
  if (packet.signed.signature.length !== BOOTLOADER_LIMITS.signatureBytes) return 'other-key';
  return verifyP256(publicKey, packet.initBytes, toLittleEndianHalves(packet.signed.signature)) ? 'valid' : 'other-key';
}

function verifyImage(ref: ManifestImageRef, files: PackageFiles, publicKey: PublicKeyXY | undefined, limits: Readonly<BootloaderLimits>): ImageVerdict {
  const verdict: ImageVerdict = { kind: ref.kind, binFile: ref.binFile, datFile: ref.datFile, signature: 'unchecked', problems: [], warnings: [] };
  const escaping = [ref.binFile, ref.datFile].filter(isUnsafeMemberName);
  if (escaping.length) {
    verdict.problems.push(`the manifest names ${escaping[0]}, which escapes the archive`);
    return verdict;
  }
  const bin = files.get(ref.binFile);
  const dat = files.get(ref.datFile);
  if (!bin) verdict.problems.push(`${ref.binFile} is named in the manifest but missing from the zip`);
  if (!dat) verdict.problems.push(`${ref.datFile} is named in the manifest but missing from the zip`);
  if (!bin || !dat) return verdict;
  verdict.size = bin.length;
  let packet: DecodedInitPacket;
  try {
    packet = decodeInitPacket(dat, ref.datFile, limits);
  } catch (e) {
    verdict.problems.push((e as Error).message);
    return verdict;
  }
  const { init } = packet;
  verdict.warnings.push(...packet.warnings.map((w) => `${ref.datFile}: ${w}`));
  verdict.problems.push(...initCommandLimitProblems(init, limits).map((p) => `${ref.datFile} has ${p}`));
  if (!EXPECTED_TYPES[ref.kind].includes(init.type))
    verdict.problems.push(`${ref.datFile} is a ${TYPE_NAMES[init.type] ?? `type ${init.type}`} init packet, but the manifest lists it as ${ref.kind}`);

  verdict.signature = signatureVerdict(packet, publicKey);
  if (verdict.signature === 'unsigned') verdict.problems.push(`${ref.datFile} is unsigned; the secure bootloader rejects unsigned packages`);
  if (verdict.signature === 'other-key') verdict.problems.push(`${ref.datFile} is signed by another key (the signature does not verify with the given public key)`);

  if (expectedSize(packet) !== bin.length) verdict.problems.push(`${ref.binFile} is ${bin.length} bytes, the init packet says ${expectedSize(packet)}`);
  const hash = reversed(sha256Of(bin));
  if (!equalBytes(init.hash, hash)) verdict.problems.push(`${ref.binFile} does not match the SHA-256 in ${ref.datFile}`);
  for (let n = failedEcdsaBootValidations(init, bin, publicKey); n > 0; n--)
    verdict.problems.push(`the ECDSA boot-validation signature in ${ref.datFile} does not verify with the given public key`);
  if (isZigbeeOtaImage({ packet, bin })) verdict.problems.push(...zigbeeOtaProblems(bin, ref.binFile, publicKey));
  return verdict;
}

/**
 * A Zigbee update's OTA file carries the application's own init packet, which the device
 * checks in its turn: the same signature, hash and boot-validation checks apply to it.
 */
function zigbeeOtaProblems(bin: Uint8Array, binFile: string, publicKey: PublicKeyXY | undefined): string[] {
  const label = `${binFile} (the OTA file)`;
  let contents: ZigbeeOtaContents;
  try {
    contents = readZigbeeOta(bin, label);
  } catch (e) {
    return [(e as Error).message];
  }
  const { inner, ota } = contents;
  const problems: string[] = [];
  const signature = signatureVerdict(inner, publicKey);
  if (signature === 'unsigned') problems.push(`the init packet inside ${label} is unsigned; the secure bootloader rejects unsigned updates`);
  if (signature === 'other-key') problems.push(`the init packet inside ${label} is signed by another key (the signature does not verify with the given public key)`);
  if (inner.init.appSize !== ota.firmware.length) problems.push(`the firmware inside ${label} is ${ota.firmware.length} bytes, its init packet says ${inner.init.appSize}`);
  for (let n = failedEcdsaBootValidations(inner.init, ota.firmware, publicKey); n > 0; n--)
    problems.push(`the ECDSA boot-validation signature in the init packet inside ${label} does not verify with the given public key`);
  return problems;
}

/** An init packet's signature: checked with the key when there is one, else only whether it has one. */
function signatureVerdict(packet: DecodedInitPacket, publicKey: PublicKeyXY | undefined): ImageVerdict['signature'] {
  return publicKey ? checkSignature(packet, publicKey) : packet.signed ? 'unchecked' : 'unsigned';
}

/** How many ECDSA boot validations of `init` over `bin` do not verify with the key (none checked without one). */
function failedEcdsaBootValidations(init: DecodedInitPacket['init'], bin: Uint8Array, publicKey: PublicKeyXY | undefined): number {
  if (!publicKey) return 0;
  return init.bootValidation.filter(
    (bv, i) =>
      bv.type === ValidationType.VALIDATE_ECDSA_P256_SHA256 &&
      !(bv.bytes.length === 64 && verifyP256(publicKey, bootValidationCoverage({ bin, init }, i), toLittleEndianHalves(bv.bytes))),
  ).length;
}

/**
 * Checks a package as the nRF5 secure bootloader would, with the public key it trusts:
 * zip and manifest integrity, init packets within the decoder's limits, signatures,
 * image types, sizes and hashes, ECDSA boot validations.
 */
export async function verifyPackage(zip: Uint8Array, source: string, publicKey: PublicKeyXY, limits: Readonly<BootloaderLimits> = BOOTLOADER_LIMITS): Promise<PackageVerdict> {
  let files: PackageFiles;
  try {
    files = await readPackageZip(zip, source);
  } catch (e) {
    return rejected((e as Error).message);
  }
  return verifyPackageFiles(files, source, publicKey, limits);
}

const rejected = (problem: string): PackageVerdict => ({ accepted: false, problems: [problem], images: [] });

/**
 * The same checks on a package's members in memory (a batch checks before it writes).
 * Without a public key, the key-less ones only (`dfu serial` before it sends).
 */
export function verifyPackageFiles(files: PackageFiles, source: string, publicKey?: PublicKeyXY, limits: Readonly<BootloaderLimits> = BOOTLOADER_LIMITS): PackageVerdict {
  const unsafe = [...files.keys()].filter(isUnsafeMemberName);
  if (unsafe.length) return rejected(`${source}: member name ${unsafe[0]} escapes the archive`);
  const manifest = files.get('manifest.json');
  if (!manifest) return rejected(`${source}: no manifest.json; not a DFU package`);
  let refs: ManifestImageRef[];
  try {
    refs = parseManifest(utf8Text(manifest));
  } catch (e) {
    return rejected(`${source}: ${(e as Error).message}`);
  }
  const images = refs.map((ref) => verifyImage(ref, files, publicKey, limits));
  return { accepted: images.every((i) => i.problems.length === 0), problems: [], images };
}

/**
 * True when every init packet in `files` carries a signature that verifies with
 * `publicKey`. A signer checks its own output with this before writing: a key store
 * whose public and private objects under one label are not a pair signs "successfully"
 * with a key the device does not trust.
 */
export function signaturesMatchKey(files: PackageFiles, publicKey: PublicKeyXY): boolean {
  const verdict = verifyPackageFiles(files, 'package', publicKey, NO_SIZE_LIMITS);
  return verdict.problems.length === 0 && verdict.images.every((image) => image.signature === 'valid');
}
