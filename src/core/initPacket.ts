import { Reader } from 'protobufjs/minimal';
import { NrfutilError } from './errors';
import { dfu } from './generated/dfuCc';

/** Init-packet enums, by the names and values of dfu-cc.proto. */
export const FwType = { APPLICATION: 0, SOFTDEVICE: 1, BOOTLOADER: 2, SOFTDEVICE_BOOTLOADER: 3, EXTERNAL_APPLICATION: 4 } as const;
export const HashType = { NO_HASH: 0, CRC: 1, SHA128: 2, SHA256: 3, SHA512: 4 } as const;
export const ValidationType = { NO_VALIDATION: 0, VALIDATE_GENERATED_CRC: 1, VALIDATE_SHA256: 2, VALIDATE_ECDSA_P256_SHA256: 3 } as const;
export const SignatureType = { ECDSA_P256_SHA256: 0, ED25519: 1 } as const;
export const OpCode = { RESET: 0, INIT: 1 } as const;

export type FwTypeValue = (typeof FwType)[keyof typeof FwType];
export type ValidationTypeValue = (typeof ValidationType)[keyof typeof ValidationType];

export interface BootValidation {
  type: ValidationTypeValue;
  bytes: Uint8Array;
}

/** The InitCommand: what the bootloader checks before it accepts an image. */
export interface InitCommand {
  fwVersion: number;
  hwVersion: number;
  sdReq: number[];
  type: FwTypeValue;
  sdSize: number;
  blSize: number;
  appSize: number;
  hashType: number;
  hash: Uint8Array;
  isDebug: boolean;
  bootValidation: BootValidation[];
}

export interface DecodedInitPacket {
  opCode: number;
  init: InitCommand;
  /** The exact InitCommand bytes (what the signature covers) as found in the packet. */
  initBytes: Uint8Array;
  signed?: { signatureType: number; signature: Uint8Array };
}

// Static code generated from proto/dfu-cc.proto by `npm run proto` (no .proto parsing at run time).
const PacketMsg = dfu.Packet;
const InitCommandMsg = dfu.InitCommand;

function toProto(init: InitCommand): Record<string, unknown> {
  // Every field is set, defaults included: nrfutil writes them all (proto2 presence),
  // and the signature covers these exact bytes.
  return {
    fwVersion: init.fwVersion,
    hwVersion: init.hwVersion,
    sdReq: init.sdReq,
    type: init.type,
    sdSize: init.sdSize,
    blSize: init.blSize,
    appSize: init.appSize,
    hash: { hashType: init.hashType, hash: init.hash },
    isDebug: init.isDebug,
    bootValidation: init.bootValidation.map((bv) => ({ type: bv.type, bytes: bv.bytes })),
  };
}

/** Serialized InitCommand: the bytes nrfutil signs. */
export function encodeInitCommand(init: InitCommand): Uint8Array {
  return InitCommandMsg.encode(InitCommandMsg.fromObject(toProto(init))).finish();
}

/** The .dat file: unsigned `Packet{command}` or signed `Packet{signed_command}`. */
export function encodeInitPacket(init: InitCommand, signature?: Uint8Array): Uint8Array {
  const command = { opCode: OpCode.INIT, init: toProto(init) };
  const packet = signature
    ? { signedCommand: { command, signatureType: SignatureType.ECDSA_P256_SHA256, signature } }
    : { command };
  return PacketMsg.encode(PacketMsg.fromObject(packet)).finish();
}

function fromProto(m: Record<string, any>): InitCommand {
  return {
    fwVersion: m.fwVersion ?? 0,
    hwVersion: m.hwVersion ?? 0,
    sdReq: [...(m.sdReq ?? [])],
    type: m.type ?? 0,
    sdSize: m.sdSize ?? 0,
    blSize: m.blSize ?? 0,
    appSize: m.appSize ?? 0,
    hashType: m.hash?.hashType ?? 0,
    hash: m.hash?.hash ?? new Uint8Array(),
    isDebug: m.isDebug ?? false,
    bootValidation: (m.bootValidation ?? []).map((bv: any) => ({ type: bv.type ?? 0, bytes: bv.bytes ?? new Uint8Array() })),
  };
}

/** Reads a length-delimited field's raw bytes, so signatures can be checked on the exact bytes. */
function rawField(buf: Uint8Array, fieldNumber: number): Uint8Array | undefined {
  const reader = Reader.create(buf);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === fieldNumber && (tag & 7) === 2) return reader.bytes();
    reader.skipType(tag & 7);
  }
  return undefined;
}

export function decodeInitPacket(dat: Uint8Array, source: string): DecodedInitPacket {
  let packet: Record<string, any>;
  try {
    packet = PacketMsg.toObject(PacketMsg.decode(dat), { defaults: false }) as Record<string, any>;
  } catch (e) {
    throw new NrfutilError(`${source}: not a valid init packet (${(e as Error).message})`);
  }
  const signedRaw = rawField(dat, 2);
  const commandRaw = signedRaw ? rawField(signedRaw, 1) : rawField(dat, 1);
  const command = packet.signedCommand?.command ?? packet.command;
  if (!command?.init || !commandRaw) throw new NrfutilError(`${source}: the init packet holds no init command`);
  const initBytes = rawField(commandRaw, 2)!;
  const decoded: DecodedInitPacket = { opCode: command.opCode ?? 0, init: fromProto(command.init), initBytes };
  if (packet.signedCommand)
    decoded.signed = { signatureType: packet.signedCommand.signatureType ?? 0, signature: packet.signedCommand.signature ?? new Uint8Array() };
  return decoded;
}
