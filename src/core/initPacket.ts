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
  /**
   * The bytes the bootloader checks the signature over, as found in the packet: the
   * init command's payload through the end of the command that holds it.
   */
  initBytes: Uint8Array;
  signed?: { signatureType: number; signature: Uint8Array };
  /** What the bootloader tolerates but pkg generate never writes (does not change a verdict). */
  warnings: string[];
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

// Decoding lives in initPacketDecoder.ts: it reads as the bootloader reads, not as protobuf does.
export { decodeInitPacket } from './initPacketDecoder';
