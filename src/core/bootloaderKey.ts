import { isP256Point } from './p256';
import { equalBytes, toHex } from './bytes';
import { sha256 } from './cryptoBackend';
import { FwType } from './initPacket';
import { isNrf5DebugKey } from './keyEncoding';
import type { PackageImage } from './packageReader';
import { toLittleEndianHalves } from './signature';

/**
 * Key rotation's safety check: which public key does a bootloader image trust? The nRF5
 * SDK compiles `dfu_public_key.c` into it: `pk[64]`, x then y, each 32 bytes
 * little-endian. Any 64 bytes that read that way as a point on P-256 are that key (a
 * random 64 bytes is on the curve with probability about 2^-256).
 */
function bigIntLE(view: DataView, from: number): bigint {
  return view.getBigUint64(from, true) | (view.getBigUint64(from + 8, true) << 64n) | (view.getBigUint64(from + 16, true) << 128n) | (view.getBigUint64(from + 24, true) << 192n);
}

/** Every P-256 public key (x‖y, big-endian) embedded in `bin` as dfu_public_key.c lays one out. */
export function findEmbeddedPublicKeys(bin: Uint8Array): { offset: number; publicKey: Uint8Array }[] {
  const found: { offset: number; publicKey: Uint8Array }[] = [];
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  for (let at = 0; at + 64 <= bin.length; at++) {
    // Erased flash and zero fill are never keys; skip them cheaply.
    if ((bin[at] === 0xff && bin[at + 1] === 0xff && bin[at + 2] === 0xff) || (bin[at] === 0 && bin[at + 1] === 0 && bin[at + 2] === 0)) continue;
    if (!isP256Point(bigIntLE(view, at), bigIntLE(view, at + 32))) continue;
    found.push({ offset: at, publicKey: toLittleEndianHalves(bin.subarray(at, at + 64)) });
    at += 63;
  }
  return found;
}

/** A public key's fingerprint: SHA-256 of x‖y (big-endian), hex. */
export function keyFingerprint(publicKey: Uint8Array): string {
  return toHex(sha256(publicKey));
}

export interface BootloaderKeyReport {
  /** The package member holding the bootloader. */
  image: string;
  /** x‖y hex of the key the bootloader trusts; null when none was found. */
  publicKey: string | null;
  fingerprint: string | null;
  /** The nRF5 SDK's well-known debug key. */
  debugKey: boolean;
  /** The key that signs (or verifies) this package: a rotation that rotates nothing. */
  sameAsSigningKey: boolean;
  /** The device whose key it is, when a key directory was searched. */
  device?: string;
  /** Whether it is the key `--expect-bootloader-key` names (absent when none was named). */
  expected?: boolean;
  /** What a person should hear about, in words. */
  warnings: string[];
}

/** The bootloader bytes of a package image, if it carries one. */
export function bootloaderBytes(image: { kind: string; bin: Uint8Array; init: { type: number; sdSize: number } }): Uint8Array | undefined {
  if (image.kind === 'bootloader' || image.init.type === FwType.BOOTLOADER) return image.bin;
  if (image.kind === 'softdevice_bootloader' || image.init.type === FwType.SOFTDEVICE_BOOTLOADER) return image.bin.subarray(image.init.sdSize);
  return undefined;
}

export interface BootloaderKeyOptions {
  /** The key that signs or is checked: a bootloader trusting it rotates nothing. */
  signingKey?: Uint8Array;
  /** The key the bootloader must trust (`--expect-bootloader-key`). */
  expectedKey?: Uint8Array;
  /** Looks a key up among known devices' keys (a key directory). */
  deviceOf?: (publicKey: Uint8Array) => string | undefined;
}

export function bootloaderKeyReport(image: string, bootloader: Uint8Array, options: BootloaderKeyOptions = {}): BootloaderKeyReport {
  const keys = findEmbeddedPublicKeys(bootloader);
  const key = keys[0]?.publicKey;
  const report: BootloaderKeyReport = {
    image,
    publicKey: key ? toHex(key) : null,
    fingerprint: key ? keyFingerprint(key) : null,
    debugKey: key ? isNrf5DebugKey(key) : false,
    sameAsSigningKey: !!key && !!options.signingKey && equalBytes(key, options.signingKey),
    warnings: [],
  };
  const device = key && options.deviceOf?.(key);
  if (device !== undefined) report.device = device;
  if (options.expectedKey) report.expected = !!key && equalBytes(key, options.expectedKey);
  if (!key) report.warnings.push(`the bootloader in ${image} carries no P-256 public key (no dfu_public_key.c key found): it will not accept signed updates as expected`);
  if (keys.length > 1) report.warnings.push(`the bootloader in ${image} holds ${keys.length} candidate public keys; the first is reported`);
  if (report.debugKey) report.warnings.push(`the bootloader in ${image} trusts the nRF5 SDK's debug key, which everyone has`);
  if (report.sameAsSigningKey) report.warnings.push(`the bootloader in ${image} trusts the same key that signs this package: a key rotation that rotates nothing`);
  return report;
}

/** The reports for a package's images that carry a bootloader (read back from a zip). */
export function packageBootloaderKeys(images: PackageImage[], options: BootloaderKeyOptions = {}): BootloaderKeyReport[] {
  return images.flatMap((image) => {
    const bl = bootloaderBytes({ kind: image.kind, bin: image.bin, init: image.packet.init });
    return bl ? [bootloaderKeyReport(image.binFile, bl, options)] : [];
  });
}

/** One line per report for people. */
export function bootloaderKeyText(report: BootloaderKeyReport): string {
  if (!report.fingerprint) return `Bootloader key (${report.image}): none found\n`;
  const who = report.device !== undefined ? `, device ${report.device}` : report.debugKey ? ', the SDK debug key' : '';
  return `Bootloader key (${report.image}): SHA-256 ${report.fingerprint.slice(0, 16)}…${who}\n`;
}
