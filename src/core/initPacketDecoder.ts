import { BOOTLOADER_LIMITS, BootloaderLimits } from './bootloaderLimits';
import { NrfutilError } from './errors';
import type { BootValidation, DecodedInitPacket, InitCommand } from './initPacket';

/**
 * Reads an init packet the way the nRF5 SDK secure bootloader does (nanopb 0.3.6-dev
 * with the SDK's dfu-cc.options, then nrf_dfu_validation.c), so that a verdict made on
 * what this returns is the device's verdict. The facts it follows are in
 * shared/spec/nrfutil-behaviour.md ("What the SDK's decoder does with odd packets"):
 *
 * - a submessage that appears twice is merged: scalars and bytes, last wins; repeated
 *   fields are appended (packed and unpacked pieces alike);
 * - a second `init` anywhere is refused (the SDK's decoding callback counts it), and so
 *   is `command` beside `signed_command`;
 * - a later `signed_command` without `init` is accepted and its signature replaces the
 *   earlier one;
 * - the signed bytes run from the start of the `init` payload to the end of the command
 *   that holds it;
 * - arrays and bytes have fixed sizes (sd_req 16, boot_validation 3, hash 32, signature
 *   64, boot-validation bytes 64) and the whole packet at most 512 bytes: more is refused;
 * - required proto2 fields must be present in every occurrence of their message;
 * - op_code is not checked and unknown fields are skipped.
 *
 * Protobuf's usual "last one wins" reading (protobufjs, Python) would instead take the
 * hash and size of a crafted second command while the signature is checked over the
 * first: that is the forgery this reader exists to close.
 *
 * The wire reading is ours too, not protobufjs's Reader: its varint reader skips the
 * bytes of a long varint without looking at them, where nanopb reads them (and refuses a
 * varint longer than 10 bytes); a reader that lost its place differently from the device
 * could accept what the device refuses.
 */

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;

/** Why the bootloader would refuse the packet; `source` names the file. */
class RefusedPacket extends Error {}

const TRUNCATED = 'it is truncated (parent stream too short)';

/** A position in the packet with nanopb's primitive readers. */
class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly limits: Readonly<BootloaderLimits>,
  ) {}

  /** A varint of up to 10 bytes; the low 32 bits, as nanopb stores a uint32 field. */
  uint32(): number {
    let value = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new RefusedPacket(TRUNCATED);
      const byte = this.buf[this.pos++];
      if (i < 5) value |= (byte & 0x7f) << (7 * i);
      if (byte < 0x80) return value >>> 0;
    }
    throw new RefusedPacket('a varint longer than 10 bytes (varint overflow)');
  }

  /** An enum or int32 field: the same varint, read as signed. */
  int32(): number {
    return this.uint32() | 0;
  }

  skip(length: number): void {
    if (length > this.buf.length - this.pos) throw new RefusedPacket(TRUNCATED);
    this.pos += length;
  }

  /** Skips an unknown field's value; nanopb knows no groups (wire types 3 and 4). */
  skipType(wireType: number): void {
    if (wireType === 0) this.uint32();
    else if (wireType === 1) this.skip(8);
    else if (wireType === 2) this.skip(this.uint32());
    else if (wireType === 5) this.skip(4);
    else throw new RefusedPacket(`invalid wire type ${wireType}`);
  }
}

interface Field {
  number: number;
  wireType: number;
}

/** One message's fields, from `start` to `end` of the whole packet. */
function* fields(reader: Reader, end: number): Generator<Field> {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const number = tag >>> 3;
    if (number === 0) throw new RefusedPacket('a field with number 0 (corrupt data)');
    yield { number, wireType: tag & 7 };
    if (reader.pos > end) throw new RefusedPacket('a field runs past the end of its message (parent stream too short)');
  }
  if (reader.pos !== end) throw new RefusedPacket('a message runs past its stated length (parent stream too short)');
}

function expectWire(field: Field, wireType: number, name: string): void {
  // nanopb 0.3 reads a known field by its declared type whatever the wire type says,
  // so a mismatch would be misread on the device; refusing it is the safe verdict.
  if (field.wireType !== wireType) throw new RefusedPacket(`${name} has wire type ${field.wireType}, expected ${wireType}`);
}

/** Opens a length-delimited field: returns its end offset, checked against the parent. */
function openSubmessage(reader: Reader, parentEnd: number): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > parentEnd) throw new RefusedPacket('a submessage is longer than the data around it (parent stream too short)');
  return end;
}

function readBytes(reader: Reader, parentEnd: number, limit: number, name: string): Uint8Array {
  const end = openSubmessage(reader, parentEnd);
  const length = end - reader.pos;
  if (length > limit) throw new RefusedPacket(`${name} is ${length} bytes, the bootloader holds at most ${limit} (bytes overflow)`);
  // A copy, so the decoded packet does not alias the caller's buffer.
  const bytes = new Uint8Array(reader.buf.subarray(reader.pos, end));
  reader.pos = end;
  return bytes;
}

function skipUnknown(reader: Reader, field: Field, where: string, warnings: string[]): void {
  reader.skipType(field.wireType);
  warnings.push(`unknown field ${field.number} in ${where} (skipped by the bootloader; pkg generate never writes it)`);
}

function requireFields(seen: Set<number>, required: readonly number[], message: string): void {
  const missing = required.filter((n) => !seen.has(n));
  if (missing.length) throw new RefusedPacket(`${message} lacks required field ${missing[0]} (missing required field)`);
}

/** The decoding state shared by the whole packet: the bootloader's single m_packet. */
interface PacketState {
  init?: InitCommand;
  /** Absolute offsets of the signed bytes. */
  signedStart?: number;
  signedEnd?: number;
  opCode?: number;
  signatureType?: number;
  signature?: Uint8Array;
  warnings: string[];
}

function emptyInit(): InitCommand {
  return {
    fwVersion: 0,
    hwVersion: 0,
    sdReq: [],
    type: 0 as InitCommand['type'],
    sdSize: 0,
    blSize: 0,
    appSize: 0,
    hashType: 0,
    hash: new Uint8Array(),
    isDebug: false,
    bootValidation: [],
  };
}

function pushSdReq(reader: Reader, init: InitCommand, value: number): void {
  if (init.sdReq.length >= reader.limits.sdReq)
    throw new RefusedPacket(`more than ${reader.limits.sdReq} sd_req entries (array overflow)`);
  init.sdReq.push(value);
}

function decodeHash(reader: Reader, end: number, init: InitCommand, warnings: string[]): void {
  const seen = new Set<number>();
  for (const field of fields(reader, end)) {
    seen.add(field.number);
    if (field.number === 1) {
      expectWire(field, WIRE_VARINT, 'hash_type');
      init.hashType = reader.int32();
    } else if (field.number === 2) {
      expectWire(field, WIRE_BYTES, 'hash');
      init.hash = readBytes(reader, end, reader.limits.hashBytes, 'the hash');
    } else skipUnknown(reader, field, 'Hash', warnings);
  }
  requireFields(seen, [1, 2], 'a Hash');
}

function decodeBootValidation(reader: Reader, end: number, warnings: string[]): BootValidation {
  const seen = new Set<number>();
  const bv: BootValidation = { type: 0 as BootValidation['type'], bytes: new Uint8Array() };
  for (const field of fields(reader, end)) {
    seen.add(field.number);
    if (field.number === 1) {
      expectWire(field, WIRE_VARINT, 'boot_validation.type');
      bv.type = reader.int32() as BootValidation['type'];
    } else if (field.number === 2) {
      expectWire(field, WIRE_BYTES, 'boot_validation.bytes');
      bv.bytes = readBytes(reader, end, reader.limits.bootValidationBytes, 'a boot validation');
    } else skipUnknown(reader, field, 'BootValidation', warnings);
  }
  requireFields(seen, [1, 2], 'a BootValidation');
  return bv;
}

function decodeInit(reader: Reader, end: number, warnings: string[]): InitCommand {
  const init = emptyInit();
  for (const field of fields(reader, end)) {
    switch (field.number) {
      case 1:
      case 2:
      case 5:
      case 6:
      case 7: {
        expectWire(field, WIRE_VARINT, `init field ${field.number}`);
        const value = reader.uint32();
        if (field.number === 1) init.fwVersion = value;
        else if (field.number === 2) init.hwVersion = value;
        else if (field.number === 5) init.sdSize = value;
        else if (field.number === 6) init.blSize = value;
        else init.appSize = value;
        break;
      }
      case 3:
        if (field.wireType === WIRE_BYTES) {
          const packedEnd = openSubmessage(reader, end);
          while (reader.pos < packedEnd) pushSdReq(reader, init, reader.uint32());
          if (reader.pos !== packedEnd) throw new RefusedPacket('the packed sd_req list runs past its length');
        } else {
          expectWire(field, WIRE_VARINT, 'sd_req');
          pushSdReq(reader, init, reader.uint32());
        }
        break;
      case 4:
        expectWire(field, WIRE_VARINT, 'type');
        init.type = reader.int32() as InitCommand['type'];
        break;
      case 8: {
        expectWire(field, WIRE_BYTES, 'hash');
        decodeHash(reader, openSubmessage(reader, end), init, warnings);
        break;
      }
      case 9:
        expectWire(field, WIRE_VARINT, 'is_debug');
        init.isDebug = reader.uint32() !== 0;
        break;
      case 10: {
        expectWire(field, WIRE_BYTES, 'boot_validation');
        if (init.bootValidation.length >= reader.limits.bootValidation)
          throw new RefusedPacket(`more than ${reader.limits.bootValidation} boot validations (array overflow)`);
        init.bootValidation.push(decodeBootValidation(reader, openSubmessage(reader, end), warnings));
        break;
      }
      default:
        skipUnknown(reader, field, 'InitCommand', warnings);
    }
  }
  return init;
}

function decodeCommand(reader: Reader, end: number, state: PacketState): void {
  for (const field of fields(reader, end)) {
    if (field.number === 1) {
      expectWire(field, WIRE_VARINT, 'op_code');
      state.opCode = reader.int32();
    } else if (field.number === 2) {
      expectWire(field, WIRE_BYTES, 'init');
      if (state.init) throw new RefusedPacket('a second init command (the bootloader takes exactly one)');
      const initEnd = openSubmessage(reader, end);
      state.signedStart = reader.pos;
      // The SDK's callback takes the bytes left in the command from here on.
      state.signedEnd = end;
      state.init = decodeInit(reader, initEnd, state.warnings);
      if (initEnd !== end) state.warnings.push('the command carries fields after the init command (they are inside the signed bytes; pkg generate never writes them)');
    } else if (field.number === 3) {
      expectWire(field, WIRE_BYTES, 'reset');
      const resetEnd = openSubmessage(reader, end);
      const seen = new Set<number>();
      for (const f of fields(reader, resetEnd)) {
        seen.add(f.number);
        if (f.number === 1) {
          expectWire(f, WIRE_VARINT, 'reset.timeout');
          reader.uint32();
        } else skipUnknown(reader, f, 'ResetCommand', state.warnings);
      }
      requireFields(seen, [1], 'a ResetCommand');
    } else skipUnknown(reader, field, 'Command', state.warnings);
  }
}

function decodeSignedCommand(reader: Reader, end: number, state: PacketState): void {
  const seen = new Set<number>();
  for (const field of fields(reader, end)) {
    seen.add(field.number);
    if (field.number === 1) {
      expectWire(field, WIRE_BYTES, 'signed_command.command');
      decodeCommand(reader, openSubmessage(reader, end), state);
    } else if (field.number === 2) {
      expectWire(field, WIRE_VARINT, 'signature_type');
      state.signatureType = reader.int32();
    } else if (field.number === 3) {
      expectWire(field, WIRE_BYTES, 'signature');
      state.signature = readBytes(reader, end, reader.limits.signatureBytes, 'the signature');
    } else skipUnknown(reader, field, 'SignedCommand', state.warnings);
  }
  requireFields(seen, [1, 2, 3], 'a SignedCommand');
}

function decodePacket(dat: Uint8Array, limits: Readonly<BootloaderLimits>): DecodedInitPacket {
  if (dat.length > limits.initPacketBytes)
    throw new RefusedPacket(`it is ${dat.length} bytes, the bootloader accepts at most ${limits.initPacketBytes}`);
  const reader = new Reader(dat, limits);
  const state: PacketState = { warnings: [] };
  let commands = 0;
  let signedCommands = 0;
  for (const field of fields(reader, dat.length)) {
    if (field.number === 1) {
      expectWire(field, WIRE_BYTES, 'command');
      commands++;
      decodeCommand(reader, openSubmessage(reader, dat.length), state);
    } else if (field.number === 2) {
      expectWire(field, WIRE_BYTES, 'signed_command');
      signedCommands++;
      decodeSignedCommand(reader, openSubmessage(reader, dat.length), state);
    } else skipUnknown(reader, field, 'Packet', state.warnings);
  }
  if (commands && signedCommands) throw new RefusedPacket('it holds both a command and a signed command');
  if (!state.init || state.signedStart === undefined || state.signedEnd === undefined) throw new RefusedPacket('it holds no init command');
  if (commands > 1) state.warnings.push(`the command appears ${commands} times (merged by the bootloader; pkg generate writes it once)`);
  if (signedCommands > 1) state.warnings.push(`the signed command appears ${signedCommands} times (the bootloader takes the last signature; pkg generate writes it once)`);
  if (state.opCode !== 1) state.warnings.push(`op_code is ${state.opCode ?? 'absent'}, not INIT (the bootloader does not check it; pkg generate writes INIT)`);
  const decoded: DecodedInitPacket = {
    opCode: state.opCode ?? 0,
    init: state.init,
    initBytes: dat.slice(state.signedStart, state.signedEnd),
    warnings: state.warnings,
  };
  if (signedCommands) decoded.signed = { signatureType: state.signatureType ?? 0, signature: state.signature ?? new Uint8Array() };
  return decoded;
}

/** Decodes a .dat as the bootloader does; throws one line naming `source` when it would refuse it. */
export function decodeInitPacket(dat: Uint8Array, source: string, limits: Readonly<BootloaderLimits> = BOOTLOADER_LIMITS): DecodedInitPacket {
  try {
    return decodePacket(dat, limits);
  } catch (e) {
    if (e instanceof RefusedPacket) throw new NrfutilError(`${source}: the bootloader would refuse this init packet: ${e.message}`);
    throw e;
  }
}
