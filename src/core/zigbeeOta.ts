import { crc32 } from './crc32';

/**
 * Zigbee OTA upgrade file (ZCL spec 11.4.2) as nrfutil 6.1.7 writes it for
 * `pkg generate --zigbee True`: the OTA header, then three sub-elements: a trigger
 * that tells Nordic's Zigbee bootloader the sizes and CRCs of what follows, the
 * init packet, and the firmware. Layout read off the recorded zigbee cases.
 */
export interface ZigbeeOtaHeader {
  manufacturerId: number;
  imageType: number;
  fileVersion: number;
  /** ZCL header string; stored as a Pascal string in 32 bytes, so at most 31 bytes. */
  comment: string;
  /** Both or neither: when present the header carries the hardware version range. */
  minHwVersion?: number;
  maxHwVersion?: number;
}

const OTA_FILE_ID = 0x0beef11e;
const OTA_HEADER_VERSION = 0x0100;
const ZIGBEE_PRO_STACK = 0x0002;
const FIELD_CONTROL_HW_VERSIONS = 0x0004;
const HEADER_STRING_BYTES = 32;
const BASE_HEADER_BYTES = 56;
const SUB_ELEMENT_HEADER_BYTES = 6;
const TAG_UPGRADE_IMAGE = 0x0000;
/** Nordic's manufacturer-specific tag for the DFU trigger. */
const TAG_NORDIC_TRIGGER = 0xcdef;
const TRIGGER_VERSION = 0x10;
const TRIGGER_BYTES = 17;

/** The longest comment the header keeps; Python's struct '32p' cuts the rest. */
export const MAX_HEADER_COMMENT_BYTES = HEADER_STRING_BYTES - 1;

function subElement(tag: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(SUB_ELEMENT_HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag, true);
  view.setUint32(2, body.length, true);
  out.set(body, SUB_ELEMENT_HEADER_BYTES);
  return out;
}

/** Sizes and CRC-32s of the init packet and the firmware, big-endian, after a version byte. */
function triggerBody(initPacket: Uint8Array, firmware: Uint8Array): Uint8Array {
  const out = new Uint8Array(TRIGGER_BYTES);
  const view = new DataView(out.buffer);
  view.setUint8(0, TRIGGER_VERSION);
  view.setUint32(1, initPacket.length);
  view.setUint32(5, crc32(initPacket));
  view.setUint32(9, firmware.length);
  view.setUint32(13, crc32(firmware));
  return out;
}

function encodeHeader(header: ZigbeeOtaHeader, totalSize: number, headerSize: number): Uint8Array {
  const out = new Uint8Array(headerSize);
  const view = new DataView(out.buffer);
  const hasHwRange = header.minHwVersion !== undefined && header.maxHwVersion !== undefined;
  view.setUint32(0, OTA_FILE_ID, true);
  view.setUint16(4, OTA_HEADER_VERSION, true);
  view.setUint16(6, headerSize, true);
  view.setUint16(8, hasHwRange ? FIELD_CONTROL_HW_VERSIONS : 0, true);
  view.setUint16(10, header.manufacturerId, true);
  view.setUint16(12, header.imageType, true);
  view.setUint32(14, header.fileVersion, true);
  view.setUint16(18, ZIGBEE_PRO_STACK, true);
  const comment = new TextEncoder().encode(header.comment).subarray(0, MAX_HEADER_COMMENT_BYTES);
  out[20] = comment.length;
  out.set(comment, 21);
  view.setUint32(20 + HEADER_STRING_BYTES, totalSize, true);
  if (hasHwRange) {
    view.setUint16(BASE_HEADER_BYTES, header.minHwVersion!, true);
    view.setUint16(BASE_HEADER_BYTES + 2, header.maxHwVersion!, true);
  }
  return out;
}

/** The whole OTA file: header, trigger, init packet, firmware. */
export function buildZigbeeOtaFile(header: ZigbeeOtaHeader, initPacket: Uint8Array, firmware: Uint8Array): Uint8Array {
  const elements = [subElement(TAG_NORDIC_TRIGGER, triggerBody(initPacket, firmware)), subElement(TAG_UPGRADE_IMAGE, initPacket), subElement(TAG_UPGRADE_IMAGE, firmware)];
  const hasHwRange = header.minHwVersion !== undefined && header.maxHwVersion !== undefined;
  const headerSize = BASE_HEADER_BYTES + (hasHwRange ? 4 : 0);
  const totalSize = headerSize + elements.reduce((n, e) => n + e.length, 0);
  const out = new Uint8Array(totalSize);
  out.set(encodeHeader(header, totalSize, headerSize));
  let offset = headerSize;
  for (const e of elements) {
    out.set(e, offset);
    offset += e.length;
  }
  return out;
}

const hex = (value: number, digits: number) => value.toString(16).toUpperCase().padStart(digits, '0');

/** `MMMM-IIII-VVVVVVVV-COMMENT.zigbee`, the name nrfutil gives the OTA file. */
export function zigbeeOtaFileName(header: ZigbeeOtaHeader): string {
  return `${hex(header.manufacturerId, 4)}-${hex(header.imageType, 4)}-${hex(header.fileVersion, 8)}-${header.comment}.zigbee`;
}
