/**
 * The nRF5 SDK secure DFU request/response layer (nrf_dfu_req_handler.h, SDK 15-17),
 * as nrfutil 6.1.7 speaks it over serial: requests are `[opcode, payload…]`, replies
 * `[0x60, opcode, result, payload…]`, integers little-endian.
 */
export const Op = {
  PROTOCOL_VERSION: 0x00,
  CREATE: 0x01,
  SET_PRN: 0x02,
  CALC_CHECKSUM: 0x03,
  EXECUTE: 0x04,
  SELECT: 0x06,
  MTU_GET: 0x07,
  WRITE: 0x08,
  PING: 0x09,
  HARDWARE_VERSION: 0x0a,
  FIRMWARE_VERSION: 0x0b,
  ABORT: 0x0c,
  RESPONSE: 0x60,
} as const;

export const ObjectType = { COMMAND: 0x01, DATA: 0x02 } as const;

export const Result = {
  INVALID: 0x00,
  SUCCESS: 0x01,
  OP_CODE_NOT_SUPPORTED: 0x02,
  INVALID_PARAMETER: 0x03,
  INSUFFICIENT_RESOURCES: 0x04,
  INVALID_OBJECT: 0x05,
  UNSUPPORTED_TYPE: 0x07,
  OPERATION_NOT_PERMITTED: 0x08,
  OPERATION_FAILED: 0x0a,
  EXT_ERROR: 0x0b,
} as const;

export const ExtError = {
  NO_ERROR: 0x00,
  INVALID_ERROR_CODE: 0x01,
  WRONG_COMMAND_FORMAT: 0x02,
  UNKNOWN_COMMAND: 0x03,
  INIT_COMMAND_INVALID: 0x04,
  FW_VERSION_FAILURE: 0x05,
  HW_VERSION_FAILURE: 0x06,
  SD_VERSION_FAILURE: 0x07,
  SIGNATURE_MISSING: 0x08,
  WRONG_HASH_TYPE: 0x09,
  HASH_FAILED: 0x0a,
  WRONG_SIGNATURE_TYPE: 0x0b,
  VERIFICATION_FAILED: 0x0c,
  INSUFFICIENT_SPACE: 0x0d,
  FW_ALREADY_PRESENT: 0x0e,
} as const;

const OP_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Op).map(([k, v]) => [v, k]));
const RESULT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Result).map(([k, v]) => [v, k]));
const EXT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ExtError).map(([k, v]) => [v, k]));

const RESULT_WORDS: Record<number, string> = {
  [Result.INVALID]: 'invalid request',
  [Result.OP_CODE_NOT_SUPPORTED]: 'request not supported',
  [Result.INVALID_PARAMETER]: 'invalid parameter (wrong object size or too much data)',
  [Result.INSUFFICIENT_RESOURCES]: 'object too large for the device',
  [Result.INVALID_OBJECT]:
    'invalid object (init packet not decodable, signature not made with the device key, or image failed post-validation)',
  [Result.UNSUPPORTED_TYPE]: 'unsupported object type',
  [Result.OPERATION_NOT_PERMITTED]: 'operation not permitted in the current state (object incomplete or no valid init packet)',
  [Result.OPERATION_FAILED]: 'operation failed',
};

const EXT_WORDS: Record<number, string> = {
  [ExtError.NO_ERROR]: 'no extended error code set',
  [ExtError.INVALID_ERROR_CODE]: 'invalid extended error code',
  [ExtError.WRONG_COMMAND_FORMAT]: 'wrong command format',
  [ExtError.UNKNOWN_COMMAND]: 'unknown command',
  [ExtError.INIT_COMMAND_INVALID]: 'invalid init command (wrong firmware type or a required field missing)',
  [ExtError.FW_VERSION_FAILURE]: 'firmware version too low (downgrade refused)',
  [ExtError.HW_VERSION_FAILURE]: 'hardware version mismatch',
  [ExtError.SD_VERSION_FAILURE]: 'SoftDevice requirement not met (sd_req does not list the SoftDevice on the device)',
  [ExtError.SIGNATURE_MISSING]: 'signature missing',
  [ExtError.WRONG_HASH_TYPE]: 'hash type not supported',
  [ExtError.HASH_FAILED]: 'hash could not be calculated',
  [ExtError.WRONG_SIGNATURE_TYPE]: 'signature type not supported',
  [ExtError.VERIFICATION_FAILED]: 'hash mismatch',
  [ExtError.INSUFFICIENT_SPACE]: 'not enough space on the device for the firmware',
  [ExtError.FW_ALREADY_PRESENT]: 'firmware already present',
};

export const opName = (op: number): string => OP_NAMES[op] ?? `0x${hex2(op)}`;
export const resultName = (code: number): string => RESULT_NAMES[code] ?? `0x${hex2(code)}`;
export const extErrorName = (code: number): string => EXT_NAMES[code] ?? `0x${hex2(code)}`;

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** A failure reply in words, with the SDK's code: "hash mismatch (extended error 0x0C VERIFICATION_FAILED)". */
export function describeResult(result: number, extError?: number): string {
  if (result === Result.EXT_ERROR) {
    const ext = extError ?? ExtError.NO_ERROR;
    return `${EXT_WORDS[ext] ?? 'unknown extended error'} (extended error 0x${hex2(ext)} ${extErrorName(ext)})`;
  }
  return `${RESULT_WORDS[result] ?? 'unknown result code'} (result 0x${hex2(result)} ${resultName(result)})`;
}

export function u16le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff];
}

export function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

export { readU16, readU32 } from '../bytes';

/** Requests as nrfutil 6.1.7 builds them. */
export const request = {
  ping: (id: number) => Uint8Array.of(Op.PING, id & 0xff),
  setPrn: (prn: number) => Uint8Array.of(Op.SET_PRN, ...u16le(prn)),
  mtu: () => Uint8Array.of(Op.MTU_GET),
  select: (type: number) => Uint8Array.of(Op.SELECT, type),
  create: (type: number, size: number) => Uint8Array.of(Op.CREATE, type, ...u32le(size)),
  write: (data: Uint8Array) => Uint8Array.of(Op.WRITE, ...data),
  checksum: () => Uint8Array.of(Op.CALC_CHECKSUM),
  execute: () => Uint8Array.of(Op.EXECUTE),
};

/** A `[0x60, opcode, result, …]` reply. */
export interface Reply {
  op: number;
  result: number;
  /** After a SUCCESS: the payload. After EXT_ERROR: the extended error code first. */
  payload: Uint8Array;
}

export function parseReply(frame: Uint8Array): Reply | undefined {
  if (frame.length < 3 || frame[0] !== Op.RESPONSE) return undefined;
  return { op: frame[1], result: frame[2], payload: frame.subarray(3) };
}

export function encodeReply(op: number, result: number, payload: ArrayLike<number> = []): Uint8Array {
  return Uint8Array.of(Op.RESPONSE, op, result, ...Array.from(payload));
}

export interface SelectReply {
  maxSize: number;
  offset: number;
  crc: number;
}

export interface ChecksumReply {
  offset: number;
  crc: number;
}

/** The bytes of one WRITE: nrfutil sizes them so a fully escaped frame fits the MTU. */
export const writeChunkSize = (mtu: number): number => Math.floor((mtu - 1) / 2) - 1;
