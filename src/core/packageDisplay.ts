import { toHex } from './bytes';
import { FwType, HashType, OpCode, SignatureType, ValidationType, DecodedInitPacket } from './initPacket';
import type { ManifestImageKind } from './manifest';

const nameOf = (table: Record<string, number>, value: number): string =>
  Object.keys(table).find((k) => table[k] === value) ?? String(value);

/** nrfutil's display names for image kinds (sd_bl for the combined image). */
const KIND_LABEL: Record<ManifestImageKind, string> = {
  application: 'application',
  bootloader: 'bootloader',
  softdevice: 'softdevice',
  softdevice_bootloader: 'sd_bl',
};

// nrfutil calls VALIDATE_SHA256 by its CLI name in listings
const VALIDATION_LABEL: Record<number, string> = {
  [ValidationType.NO_VALIDATION]: 'NO_VALIDATION',
  [ValidationType.VALIDATE_GENERATED_CRC]: 'VALIDATE_GENERATED_CRC',
  [ValidationType.VALIDATE_SHA256]: 'VALIDATE_GENERATED_SHA256',
  [ValidationType.VALIDATE_ECDSA_P256_SHA256]: 'VALIDATE_ECDSA_P256_SHA256',
};

const hex = toHex;
const pyBytes = (b: Uint8Array) => `b'${hex(b)}'`;
const hex32 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')} (${n})`;

export interface DisplayedImage {
  kind: ManifestImageKind;
  binFile: string;
  datFile: string;
  packet: DecodedInitPacket;
}

function imageText(index: number, image: DisplayedImage): string {
  const { init, signed, opCode } = image.packet;
  const lines = [
    `|- Image #${index}:`,
    `   |- Type: ${KIND_LABEL[image.kind]}`,
    `   |- Image file: ${image.binFile}`,
    `   |- Init packet file: ${image.datFile}`,
    '      |',
    `      |- op_code: ${nameOf(OpCode, opCode)}`,
    `      |- signature_type: ${signed ? nameOf(SignatureType, signed.signatureType) : 'UNSIGNED'}`,
    `      |- signature (little-endian): ${signed ? pyBytes(signed.signature) : 'N/A'}`,
    '      |',
    `      |- fw_version: ${hex32(init.fwVersion)}`,
    `      |- hw_version ${hex32(init.hwVersion)}`,
    `      |- sd_req: ${init.sdReq.map((v) => '0x' + v.toString(16).toUpperCase()).join(', ')}`,
    `      |- type: ${nameOf(FwType, init.type)}`,
    `      |- sd_size: ${init.sdSize}`,
    `      |- bl_size: ${init.blSize}`,
    `      |- app_size: ${init.appSize}`,
    '      |',
    `      |- hash_type: ${nameOf(HashType, init.hashType)}`,
    `      |- hash (little-endian): ${pyBytes(init.hash)}`,
    '      |',
    `      |- boot_validation_type: [${init.bootValidation.map((bv) => `'${VALIDATION_LABEL[bv.type] ?? bv.type}'`).join(', ')}]`,
    `      |- boot_validation_signature (little-endian): [${init.bootValidation.map((bv) => pyBytes(bv.bytes)).join(', ')}]`,
    '      |',
    `      |- is_debug: ${init.isDebug ? 'True' : 'False'}`,
    '',
  ];
  return lines.join('\n') + '\n';
}

/** The text `pkg display` prints for a package (images in nrfutil's order). */
export function packageDisplayText(zipName: string, images: DisplayedImage[]): string {
  const parts = [`\nDFU Package: <${zipName}>:\n|\n|- Image count: ${images.length}\n`];
  images.forEach((image, i) => parts.push('|\n' + imageText(i, image)));
  return parts.join('') + '\n';
}
