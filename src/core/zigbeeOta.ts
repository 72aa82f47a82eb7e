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
const TOTAL_SIZE_OFFSET = 20 + HEADER_STRING_BYTES;
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

/**
 * The header as the file holds it: the ZCL header string as its bytes (at most 31), so
 * that a file read back is rebuilt exactly, even when the comment was cut mid-character.
 */
export interface ZigbeeOtaLayout {
  manufacturerId: number;
  imageType: number;
  fileVersion: number;
  headerString: Uint8Array;
  minHwVersion?: number;
  maxHwVersion?: number;
}

export function zigbeeOtaLayout(header: ZigbeeOtaHeader): ZigbeeOtaLayout {
  const { comment, ...fields } = header;
  return { ...fields, headerString: new TextEncoder().encode(comment).subarray(0, MAX_HEADER_COMMENT_BYTES) };
}

const hasHwRange = (layout: ZigbeeOtaLayout) => layout.minHwVersion !== undefined && layout.maxHwVersion !== undefined;

function encodeHeader(layout: ZigbeeOtaLayout, totalSize: number, headerSize: number): Uint8Array {
  const out = new Uint8Array(headerSize);
  const view = new DataView(out.buffer);
  view.setUint32(0, OTA_FILE_ID, true);
  view.setUint16(4, OTA_HEADER_VERSION, true);
  view.setUint16(6, headerSize, true);
  view.setUint16(8, hasHwRange(layout) ? FIELD_CONTROL_HW_VERSIONS : 0, true);
  view.setUint16(10, layout.manufacturerId, true);
  view.setUint16(12, layout.imageType, true);
  view.setUint32(14, layout.fileVersion, true);
  view.setUint16(18, ZIGBEE_PRO_STACK, true);
  out[20] = layout.headerString.length;
  out.set(layout.headerString, 21);
  view.setUint32(TOTAL_SIZE_OFFSET, totalSize, true);
  if (hasHwRange(layout)) {
    view.setUint16(BASE_HEADER_BYTES, layout.minHwVersion!, true);
    view.setUint16(BASE_HEADER_BYTES + 2, layout.maxHwVersion!, true);
  }
  return out;
}

/** The whole OTA file: header, trigger, init packet, firmware. */
export function encodeZigbeeOtaFile(layout: ZigbeeOtaLayout, initPacket: Uint8Array, firmware: Uint8Array): Uint8Array {
  const elements = [subElement(TAG_NORDIC_TRIGGER, triggerBody(initPacket, firmware)), subElement(TAG_UPGRADE_IMAGE, initPacket), subElement(TAG_UPGRADE_IMAGE, firmware)];
  const headerSize = BASE_HEADER_BYTES + (hasHwRange(layout) ? 4 : 0);
  const totalSize = headerSize + elements.reduce((n, e) => n + e.length, 0);
  const out = new Uint8Array(totalSize);
  out.set(encodeHeader(layout, totalSize, headerSize));
  let offset = headerSize;
  for (const e of elements) {
    out.set(e, offset);
    offset += e.length;
  }
  return out;
}

/** The OTA file `pkg generate --zigbee True` writes for these options, init packet and firmware. */
export function buildZigbeeOtaFile(header: ZigbeeOtaHeader, initPacket: Uint8Array, firmware: Uint8Array): Uint8Array {
  return encodeZigbeeOtaFile(zigbeeOtaLayout(header), initPacket, firmware);
}

/** True when the bytes start with the OTA file identifier (0x0BEEF11E, little-endian). */
function isZigbeeOtaFile(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === OTA_FILE_ID;
}

/**
 * True for an OTA file whose first sub-element is Nordic's DFU trigger: a Zigbee update
 * as `pkg generate --zigbee True` makes it, with an init packet inside. Any other OTA
 * file in a package is firmware like any other external application.
 */
export function isNordicZigbeeUpdate(bytes: Uint8Array): boolean {
  if (!isZigbeeOtaFile(bytes) || bytes.length < BASE_HEADER_BYTES) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint16(6, true);
  return headerSize + 2 <= bytes.length && view.getUint16(headerSize, true) === TAG_NORDIC_TRIGGER;
}

export interface ParsedZigbeeOta {
  layout: ZigbeeOtaLayout;
  /** The init packet inside (the application's, signed with the package's key). */
  initPacket: Uint8Array;
  firmware: Uint8Array;
  /** The OTA file proper; a package's .bin member adds 0xFF up to a multiple of 4. */
  otaFile: Uint8Array;
}

/**
 * Reads an OTA file back, as it stands in a package's .bin member (0xFF padding to a
 * multiple of 4 allowed), and accepts only what `pkg generate --zigbee True` writes:
 * the file is rebuilt from what was read and must come out the same, byte for byte.
 * Throws an Error saying what differs (the caller names the file).
 */
export function parseZigbeeOtaFile(bytes: Uint8Array): ParsedZigbeeOta {
  if (!isZigbeeOtaFile(bytes) || bytes.length < BASE_HEADER_BYTES) throw new Error('no Zigbee OTA header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint16(6, true);
  const fieldControl = view.getUint16(8, true);
  const totalSize = view.getUint32(TOTAL_SIZE_OFFSET, true);
  if (fieldControl !== 0 && fieldControl !== FIELD_CONTROL_HW_VERSIONS) throw new Error(`header field control 0x${hex(fieldControl, 4)} (pkg generate writes 0x0000 or 0x0004)`);
  const hwRange = fieldControl === FIELD_CONTROL_HW_VERSIONS;
  if (headerSize !== BASE_HEADER_BYTES + (hwRange ? 4 : 0) || bytes.length < headerSize) throw new Error(`header length ${headerSize} does not match its field control`);
  if (totalSize > bytes.length) throw new Error(`the header says ${totalSize} bytes, the file holds ${bytes.length}`);
  const padding = bytes.subarray(totalSize);
  if (padding.length > 0 && (padding.length > 3 || bytes.length % 4 !== 0 || padding.some((b) => b !== 0xff)))
    throw new Error(`the header says ${totalSize} bytes, the file holds ${bytes.length} (more than padding to a multiple of 4)`);
  const stringLength = bytes[20];
  if (stringLength > MAX_HEADER_COMMENT_BYTES) throw new Error(`header string length ${stringLength} (at most ${MAX_HEADER_COMMENT_BYTES})`);
  const layout: ZigbeeOtaLayout = {
    manufacturerId: view.getUint16(10, true),
    imageType: view.getUint16(12, true),
    fileVersion: view.getUint32(14, true),
    headerString: bytes.slice(21, 21 + stringLength),
    ...(hwRange ? { minHwVersion: view.getUint16(BASE_HEADER_BYTES, true), maxHwVersion: view.getUint16(BASE_HEADER_BYTES + 2, true) } : {}),
  };

  const elements: { tag: number; body: Uint8Array }[] = [];
  for (let offset = headerSize; offset < totalSize; ) {
    if (offset + SUB_ELEMENT_HEADER_BYTES > totalSize) throw new Error(`a sub-element header at byte ${offset} runs past the end`);
    const tag = view.getUint16(offset, true);
    const length = view.getUint32(offset + 2, true);
    const start = offset + SUB_ELEMENT_HEADER_BYTES;
    if (start + length > totalSize) throw new Error(`the sub-element at byte ${offset} runs past the end`);
    elements.push({ tag, body: bytes.subarray(start, start + length) });
    offset = start + length;
  }
  const [trigger, init, firmware] = elements;
  if (elements.length !== 3 || trigger.tag !== TAG_NORDIC_TRIGGER || init.tag !== TAG_UPGRADE_IMAGE || firmware.tag !== TAG_UPGRADE_IMAGE)
    throw new Error(`sub-elements ${elements.map((e) => `0x${hex(e.tag, 4)}`).join(', ')} (pkg generate writes the Nordic trigger 0xCDEF, then the init packet and the firmware, both 0x0000)`);
  const expectedTrigger = triggerBody(init.body, firmware.body);
  for (const [name, at] of [
    ['init packet size', 1],
    ['init packet CRC-32', 5],
    ['firmware size', 9],
    ['firmware CRC-32', 13],
  ] as const) {
    if (trigger.body.length !== TRIGGER_BYTES) break;
    const found = new DataView(trigger.body.buffer, trigger.body.byteOffset, TRIGGER_BYTES).getUint32(at);
    const wanted = new DataView(expectedTrigger.buffer).getUint32(at);
    if (found !== wanted) throw new Error(`its trigger's ${name} is 0x${hex(found, 8)}, the ${name.split(' ').slice(0, -1).join(' ')} inside gives 0x${hex(wanted, 8)} (changed after it was made)`);
  }
  const otaFile = bytes.subarray(0, totalSize);
  const rebuilt = encodeZigbeeOtaFile(layout, init.body, firmware.body);
  const differs = rebuilt.findIndex((b, i) => b !== otaFile[i]);
  if (rebuilt.length !== otaFile.length || differs >= 0) throw new Error(`byte ${differs >= 0 ? differs : Math.min(rebuilt.length, otaFile.length)} differs from what pkg generate --zigbee True writes for its header, init packet and firmware`);
  return { layout, initPacket: init.body.slice(), firmware: firmware.body.slice(), otaFile };
}

const hex = (value: number, digits: number) => value.toString(16).toUpperCase().padStart(digits, '0');

/** `MMMM-IIII-VVVVVVVV-COMMENT.zigbee`, the name nrfutil gives the OTA file. */
export function zigbeeOtaFileName(header: ZigbeeOtaHeader): string {
  return `${hex(header.manufacturerId, 4)}-${hex(header.imageType, 4)}-${hex(header.fileVersion, 8)}-${header.comment}.zigbee`;
}
