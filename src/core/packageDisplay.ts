import { toHex } from './bytes';
import { NrfutilError } from './errors';
import { FwType, OpCode, ValidationType, DecodedInitPacket } from './initPacket';
import type { ManifestImageKind } from './manifest';

/**
 * nrfutil prints its own enum names (init_packet_pb.py), and its protobuf runtime reads
 * an enum number the schema does not know as the field's default: the first name here.
 */
const HASH_NAMES = ['NONE', 'CRC', 'SHA128', 'SHA256', 'SHA512'];
const FW_TYPE_NAMES = ['APPLICATION', 'SOFTDEVICE', 'BOOTLOADER', 'SOFTDEVICE_BOOTLOADER', 'EXTERNAL_APPLICATION'];
const SIGNATURE_NAMES = ['ECDSA_P256_SHA256', 'ED25519'];
const OP_CODE_NAMES = ['RESET', 'INIT'];
/** The number protobuf reports for an enum field: unknown numbers read as the default (0). */
const known = (names: readonly string[], value: number): number => (Number.isInteger(value) && value >= 0 && value < names.length ? value : 0);
const nameOf = (names: readonly string[], value: number): string => names[known(names, value)];

/** nrfutil's display names for image kinds (sd_bl for the combined image). */
const KIND_LABEL: Record<ManifestImageKind, string> = {
  application: 'application',
  bootloader: 'bootloader',
  softdevice: 'softdevice',
  softdevice_bootloader: 'sd_bl',
};

// nrfutil calls VALIDATE_SHA256 by its CLI name in listings
const VALIDATION_NAMES: string[] = [];
VALIDATION_NAMES[ValidationType.NO_VALIDATION] = 'NO_VALIDATION';
VALIDATION_NAMES[ValidationType.VALIDATE_GENERATED_CRC] = 'VALIDATE_GENERATED_CRC';
VALIDATION_NAMES[ValidationType.VALIDATE_SHA256] = 'VALIDATE_GENERATED_SHA256';
VALIDATION_NAMES[ValidationType.VALIDATE_ECDSA_P256_SHA256] = 'VALIDATE_ECDSA_P256_SHA256';

const hex = toHex;
const pyBytes = (b: Uint8Array) => `b'${hex(b)}'`;
const hex32 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')} (${n})`;

export interface DisplayedImage {
  kind: ManifestImageKind;
  binFile: string;
  datFile: string;
  packet: DecodedInitPacket;
}

/**
 * nrfutil refuses to display an init packet that is not an INIT command or whose size
 * field for its type is 0 (init_packet_pb.py's checks, on the type as protobuf reads it).
 */
function refusal(image: DisplayedImage): string | undefined {
  const { init, opCode } = image.packet;
  if (known(OP_CODE_NAMES, opCode) !== OpCode.INIT) return `op_code is ${nameOf(OP_CODE_NAMES, opCode)}, not INIT`;
  switch (known(FW_TYPE_NAMES, init.type)) {
    case FwType.APPLICATION:
    case FwType.EXTERNAL_APPLICATION:
      return init.appSize === 0 ? 'app_size is not set. It must be set when type is APPLICATION/EXTERNAL_APPLICATION' : undefined;
    case FwType.SOFTDEVICE:
      return init.sdSize === 0 ? 'sd_size is not set. It must be set when type is SOFTDEVICE' : undefined;
    case FwType.BOOTLOADER:
      return init.blSize === 0 ? 'bl_size is not set. It must be set when type is BOOTLOADER' : undefined;
    default:
      return init.sdSize === 0 || init.blSize === 0 ? 'Either sd_size or bl_size is not set. Both must be set when type is SOFTDEVICE_BOOTLOADER' : undefined;
  }
}

function imageText(index: number, image: DisplayedImage): string {
  const { init, signed, opCode } = image.packet;
  const problem = refusal(image);
  if (problem) throw new NrfutilError(`${image.datFile}: ${problem}; not a valid init packet`);
  const lines = [
    `|- Image #${index}:`,
    `   |- Type: ${KIND_LABEL[image.kind]}`,
    `   |- Image file: ${image.binFile}`,
    `   |- Init packet file: ${image.datFile}`,
    '      |',
    `      |- op_code: ${nameOf(OP_CODE_NAMES, opCode)}`,
    `      |- signature_type: ${signed ? nameOf(SIGNATURE_NAMES, signed.signatureType) : 'UNSIGNED'}`,
    `      |- signature (little-endian): ${signed ? pyBytes(signed.signature) : 'N/A'}`,
    '      |',
    `      |- fw_version: ${hex32(init.fwVersion)}`,
    `      |- hw_version ${hex32(init.hwVersion)}`,
    `      |- sd_req: ${init.sdReq.map((v) => '0x' + v.toString(16).toUpperCase().padStart(2, '0')).join(', ')}`,
    `      |- type: ${nameOf(FW_TYPE_NAMES, init.type)}`,
    `      |- sd_size: ${init.sdSize}`,
    `      |- bl_size: ${init.blSize}`,
    `      |- app_size: ${init.appSize}`,
    '      |',
    `      |- hash_type: ${nameOf(HASH_NAMES, init.hashType)}`,
    `      |- hash (little-endian): ${pyBytes(init.hash)}`,
    '      |',
    `      |- boot_validation_type: [${init.bootValidation.map((bv) => `'${nameOf(VALIDATION_NAMES, bv.type)}'`).join(', ')}]`,
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
