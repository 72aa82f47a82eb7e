import { sha256 } from '@noble/hashes/sha2';
import { BOOTLOADER_LIMITS, initCommandLimitProblems } from '../bootloaderLimits';
import { crc32 } from '../crc32';
import { decodeInitPacket, DecodedInitPacket, FwType, HashType, OpCode, SignatureType, ValidationType } from '../initPacket';
import type { PublicKeyXY } from '../signature';
import { toLittleEndianHalves, verifyP256 } from '../signature';
import { describeResult, encodeReply, ExtError, extErrorName, ObjectType, Op, readU16, readU32, Result, resultName, u16le, u32le } from './protocol';
import { declaredImageSize } from './packageImages';
import { slipEncode, SlipDecoder } from './slip';

/** What the simulated device pretends to be. */
export interface SimulatedDevice {
  /** The public key its bootloader trusts (x‖y). */
  publicKey: PublicKeyXY;
  hwVersion: number;
  /** FWID of the SoftDevice it runs; 0 for none. */
  sdId: number;
  /** Current application version (the downgrade check's floor). */
  appVersion: number;
  /** Current bootloader version. */
  blVersion: number;
  /** Serial MTU (the SDK's UART transport: 131). */
  mtu?: number;
}

/** One image's outcome, reported when the target accepts or rejects it. */
export interface ImageVerdict {
  type: string;
  size: number;
  verdict: 'accept' | 'reject';
  /** On reject: the SDK code and its meaning. */
  code?: string;
  reason?: string;
}

// The SDK's defaults (nrf_dfu_types.h, sdk_config.h): init command buffer (the decoder's
// packet limit) and data object size.
const INIT_COMMAND_MAX_SIZE = BOOTLOADER_LIMITS.initPacketBytes;
const DATA_OBJECT_MAX_SIZE = 4096;
const CODE_PAGE_SIZE = 4096;
const DEFAULT_MTU = 131;
const SD_REQ_ANY_VERSION = 0xfffe;
const SD_REQ_APP_OVERWRITES_SD = 0x0000;

const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(FwType).map(([k, v]) => [v, k]));

interface Outcome {
  result: number;
  ext?: number;
}

const ok: Outcome = { result: Result.SUCCESS };
const fail = (result: number): Outcome => ({ result });
const ext = (code: number): Outcome => ({ result: Result.EXT_ERROR, ext: code });

/**
 * The nRF5 SDK secure serial bootloader's side of DFU (nrf_dfu_serial.c,
 * nrf_dfu_req_handler.c, nrf_dfu_validation.c; SDK 15-17 behaviour), without flash:
 * request in, reply out. EXECUTE of the init packet runs the prevalidation (decode
 * within the nanopb limits, signature with the device key, type, hash type, hw_version,
 * sd_req, firmware version unless debug); EXECUTE of the last data object checks the
 * SHA-256 and the ECDSA boot validations, then "activates" the image.
 */
export class SimulatedBootloader {
  readonly mtu: number;
  private prnTarget = 0;
  private prnCount = 0;
  private currentObject: number = ObjectType.COMMAND;
  // Init command progress (s_dfu_settings.progress.command_*).
  private command = new Uint8Array(INIT_COMMAND_MAX_SIZE);
  private commandSize = 0;
  private commandOffset = 0;
  private commandCrc = 0;
  private validInit?: DecodedInitPacket;
  // Firmware progress.
  private firmware = new Uint8Array(0);
  private firmwareSizeReq = 0;
  private dataObjectSize = 0;
  private imageOffset = 0;
  private imageCrc = 0;
  private imageOffsetLast = 0;
  private imageCrcLast = 0;
  private readonly decoder = new SlipDecoder();

  private readonly device: SimulatedDevice;

  constructor(
    device: SimulatedDevice,
    private readonly onVerdict: (verdict: ImageVerdict) => void = () => {},
  ) {
    this.device = { ...device }; // its versions and SoftDevice change as images are activated
    this.mtu = device.mtu ?? DEFAULT_MTU;
  }

  /** Bytes from the host in, SLIP-encoded replies out. */
  receive(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const frame of this.decoder.push(bytes)) {
      const reply = this.handle(frame);
      if (reply) out.push(slipEncode(reply));
    }
    return out;
  }

  /** One request frame (unescaped) in; its reply, or undefined when the protocol sends none. */
  handle(frame: Uint8Array): Uint8Array | undefined {
    const op = frame[0];
    const body = frame.subarray(1);
    switch (op) {
      case Op.PING:
        return encodeReply(op, Result.SUCCESS, [body[0] ?? 0]);
      case Op.SET_PRN:
        this.prnTarget = this.prnCount = readU16(body, 0);
        return encodeReply(op, Result.SUCCESS);
      case Op.MTU_GET:
        return encodeReply(op, Result.SUCCESS, u16le(this.mtu));
      case Op.ABORT:
        this.resetProgress();
        return encodeReply(op, Result.SUCCESS);
      case Op.SELECT:
      case Op.CREATE:
      case Op.WRITE:
      case Op.CALC_CHECKSUM:
      case Op.EXECUTE:
        return this.objectRequest(op, body);
      default:
        return this.reply(op, ext(ExtError.UNKNOWN_COMMAND));
    }
  }

  private reply(op: number, outcome: Outcome, payload: number[] = []): Uint8Array {
    if (outcome.result === Result.SUCCESS) return encodeReply(op, Result.SUCCESS, payload);
    if (outcome.result === Result.EXT_ERROR) return encodeReply(op, Result.EXT_ERROR, [outcome.ext ?? 0]);
    return encodeReply(op, outcome.result);
  }

  private objectRequest(op: number, body: Uint8Array): Uint8Array | undefined {
    if (op === Op.SELECT || op === Op.CREATE) this.currentObject = body[0];
    if (op === Op.CREATE) this.prnCount = this.prnTarget; // the serial transport restarts PRN counting
    if (this.currentObject === ObjectType.COMMAND) return this.commandRequest(op, body);
    if (this.currentObject === ObjectType.DATA) return this.dataRequest(op, body);
    return this.reply(op, fail(Result.INVALID_OBJECT));
  }

  /** A WRITE gets no reply, unless it completes a PRN interval: then a CALC_CHECKSUM reply. */
  private writeReply(outcome: Outcome, offset: number, crc: number): Uint8Array | undefined {
    this.prnCount--;
    if (this.prnTarget === 0 || this.prnCount !== 0) return undefined;
    this.prnCount = this.prnTarget;
    return this.reply(Op.CALC_CHECKSUM, outcome, [...u32le(offset), ...u32le(crc)]);
  }

  private commandRequest(op: number, body: Uint8Array): Uint8Array | undefined {
    switch (op) {
      case Op.SELECT:
        return this.reply(op, ok, [...u32le(INIT_COMMAND_MAX_SIZE), ...u32le(this.commandOffset), ...u32le(this.commandCrc)]);
      case Op.CREATE: {
        const size = readU32(body, 1);
        if (size === 0) return this.reply(op, fail(Result.INVALID_PARAMETER));
        if (size > INIT_COMMAND_MAX_SIZE) return this.reply(op, fail(Result.INSUFFICIENT_RESOURCES));
        this.resetProgress();
        this.commandSize = size;
        return this.reply(op, ok);
      }
      case Op.WRITE: {
        if (this.commandOffset + body.length > this.commandSize) return this.writeReply(fail(Result.INVALID_PARAMETER), this.commandOffset, this.commandCrc);
        this.command.set(body, this.commandOffset);
        this.commandOffset += body.length;
        this.commandCrc = crc32(body, this.commandCrc);
        return this.writeReply(ok, this.commandOffset, this.commandCrc);
      }
      case Op.CALC_CHECKSUM:
        return this.reply(op, ok, [...u32le(this.commandOffset), ...u32le(this.commandCrc)]);
      default:
        return this.reply(op, this.executeCommand());
    }
  }

  private executeCommand(): Outcome {
    if (this.commandOffset !== this.commandSize) return fail(Result.OPERATION_NOT_PERMITTED);
    if (this.validInit) return ok;
    let packet: DecodedInitPacket;
    try {
      packet = decodeInitPacket(this.command.slice(0, this.commandSize), 'init packet');
    } catch {
      return this.rejectInit(undefined, fail(Result.INVALID_OBJECT));
    }
    const outcome = this.prevalidate(packet);
    if (outcome.result !== Result.SUCCESS) return this.rejectInit(packet, outcome);
    this.validInit = packet;
    this.firmwareSizeReq = imageSize(packet);
    this.firmware = new Uint8Array(this.firmwareSizeReq);
    return ok;
  }

  private rejectInit(packet: DecodedInitPacket | undefined, outcome: Outcome): Outcome {
    this.onVerdict(this.verdict(packet, 'reject', outcome));
    return outcome;
  }

  private verdict(packet: DecodedInitPacket | undefined, verdict: 'accept' | 'reject', outcome: Outcome = ok): ImageVerdict {
    const v: ImageVerdict = {
      type: packet ? TYPE_NAMES[packet.init.type] ?? `type ${packet.init.type}` : 'UNKNOWN',
      size: packet ? imageSize(packet) : 0,
      verdict,
    };
    if (verdict === 'reject') {
      v.code = outcome.result === Result.EXT_ERROR ? `EXT_ERROR ${extErrorName(outcome.ext ?? 0)}` : resultName(outcome.result);
      v.reason = describeResult(outcome.result, outcome.ext);
    }
    return v;
  }

  /** nrf_dfu_validation_prevalidate: decoder limits, signature, then the version checks. */
  private prevalidate(packet: DecodedInitPacket): Outcome {
    const { init } = packet;
    // nanopb decodes into fixed arrays: a packet beyond them does not decode at all.
    if (initCommandLimitProblems(init).length > 0 || packet.opCode !== OpCode.INIT) return fail(Result.INVALID_OBJECT);
    if (packet.signed && packet.signed.signature.length > BOOTLOADER_LIMITS.signatureBytes) return fail(Result.INVALID_OBJECT);
    if (!packet.signed) return ext(ExtError.SIGNATURE_MISSING);
    if (packet.signed.signatureType !== SignatureType.ECDSA_P256_SHA256) return ext(ExtError.WRONG_SIGNATURE_TYPE);
    if (packet.signed.signature.length !== BOOTLOADER_LIMITS.signatureBytes) return fail(Result.OPERATION_FAILED);
    if (!verifyP256(this.device.publicKey, packet.initBytes, toLittleEndianHalves(packet.signed.signature))) return fail(Result.INVALID_OBJECT);
    return this.versionCheck(packet);
  }

  /** nrf_dfu_ver_validation_check. */
  private versionCheck(packet: DecodedInitPacket): Outcome {
    const { init } = packet;
    const supported: number[] = [FwType.APPLICATION, FwType.SOFTDEVICE, FwType.BOOTLOADER, FwType.SOFTDEVICE_BOOTLOADER];
    if (!supported.includes(init.type) || imageSize(packet) === 0) return ext(ExtError.INIT_COMMAND_INVALID);
    if (init.hashType !== HashType.SHA256) return ext(ExtError.WRONG_HASH_TYPE);
    if (init.isDebug) return ok; // a debug bootloader skips the version checks for debug packets
    if (init.hwVersion !== this.device.hwVersion) return ext(ExtError.HW_VERSION_FAILURE);
    if (!this.sdReqOk(init.sdReq, init.type)) return ext(ExtError.SD_VERSION_FAILURE);
    const floor = init.type === FwType.APPLICATION || init.type === FwType.SOFTDEVICE ? this.device.appVersion : this.device.blVersion;
    if (init.type !== FwType.SOFTDEVICE && init.fwVersion < floor) return ext(ExtError.FW_VERSION_FAILURE);
    return ok;
  }

  private sdReqOk(sdReq: number[], type: number): boolean {
    const sd = this.device.sdId;
    if (sd === 0) return sdReq.length === 0 || sdReq[0] === SD_REQ_APP_OVERWRITES_SD;
    if (sdReq.length === 0) return false;
    if (sdReq[0] !== SD_REQ_ANY_VERSION) return sdReq.includes(sd);
    if (type === FwType.APPLICATION) return sdReq.length > 1 && sdReq.includes(sd);
    return true;
  }

  private dataRequest(op: number, body: Uint8Array): Uint8Array | undefined {
    switch (op) {
      case Op.SELECT:
        return this.reply(op, ok, [...u32le(DATA_OBJECT_MAX_SIZE), ...u32le(this.imageOffset), ...u32le(this.imageCrc)]);
      case Op.CREATE:
        return this.reply(op, this.createData(readU32(body, 1)));
      case Op.WRITE: {
        const inObject = this.imageOffset - this.imageOffsetLast;
        if (!this.validInit) return this.writeReply(fail(Result.OPERATION_NOT_PERMITTED), this.imageOffset, this.imageCrc);
        if (inObject + body.length > this.dataObjectSize) return this.writeReply(fail(Result.INVALID_PARAMETER), this.imageOffset, this.imageCrc);
        this.firmware.set(body, this.imageOffset);
        this.imageOffset += body.length;
        this.imageCrc = crc32(body, this.imageCrc);
        return this.writeReply(ok, this.imageOffset, this.imageCrc);
      }
      case Op.CALC_CHECKSUM:
        return this.reply(op, ok, [...u32le(this.imageOffset), ...u32le(this.imageCrc)]);
      default:
        return this.reply(op, this.executeData());
    }
  }

  private createData(size: number): Outcome {
    if (!this.validInit) return fail(Result.OPERATION_NOT_PERMITTED);
    if (size === 0) return fail(Result.INVALID_PARAMETER);
    if (size % CODE_PAGE_SIZE !== 0 && this.imageOffsetLast + size !== this.firmwareSizeReq) return fail(Result.INVALID_PARAMETER);
    if (size > DATA_OBJECT_MAX_SIZE) return fail(Result.INSUFFICIENT_RESOURCES);
    if (this.imageOffsetLast + size > this.firmwareSizeReq) return fail(Result.OPERATION_NOT_PERMITTED);
    this.dataObjectSize = size;
    this.imageCrc = this.imageCrcLast;
    this.imageOffset = this.imageOffsetLast;
    return ok;
  }

  private executeData(): Outcome {
    if (!this.validInit || this.imageOffset - this.imageOffsetLast !== this.dataObjectSize) return fail(Result.OPERATION_NOT_PERMITTED);
    this.dataObjectSize = 0;
    this.imageCrcLast = this.imageCrc;
    this.imageOffsetLast = this.imageOffset;
    if (this.imageOffset !== this.firmwareSizeReq) return ok;
    const packet = this.validInit!;
    const outcome = this.postvalidate(packet);
    this.onVerdict(this.verdict(packet, outcome.result === Result.SUCCESS ? 'accept' : 'reject', outcome));
    if (outcome.result === Result.SUCCESS) this.activate(packet);
    return outcome;
  }

  /** The whole image is in: its hash, then its ECDSA boot validations with the device key. */
  private postvalidate(packet: DecodedInitPacket): Outcome {
    const digest = sha256(this.firmware).reverse();
    if (!equalBytes(digest, packet.init.hash)) return ext(ExtError.VERIFICATION_FAILED);
    const sdSize = packet.init.type === FwType.SOFTDEVICE_BOOTLOADER ? packet.init.sdSize : 0;
    for (const [i, bv] of packet.init.bootValidation.entries()) {
      if (bv.type !== ValidationType.VALIDATE_ECDSA_P256_SHA256) continue;
      const covered = sdSize === 0 ? this.firmware : i === 0 ? this.firmware.subarray(0, sdSize) : this.firmware.subarray(sdSize);
      if (bv.bytes.length !== 64 || !verifyP256(this.device.publicKey, covered, toLittleEndianHalves(bv.bytes))) return fail(Result.INVALID_OBJECT);
    }
    return ok;
  }

  /**
   * The new image runs and the bootloader restarts: versions move up. The SoftDevice
   * FWID stays what --sd-id says (as in the recorded sessions), so an SD+BL+app package
   * is checked against one SoftDevice throughout.
   */
  private activate(packet: DecodedInitPacket): void {
    const { type, fwVersion } = packet.init;
    if (type === FwType.APPLICATION) this.device.appVersion = fwVersion;
    if (type === FwType.BOOTLOADER || type === FwType.SOFTDEVICE_BOOTLOADER) this.device.blVersion = fwVersion;
    this.resetProgress();
  }

  private resetProgress(): void {
    this.validInit = undefined;
    this.commandSize = this.commandOffset = this.commandCrc = 0;
    this.firmware = new Uint8Array(0);
    this.firmwareSizeReq = this.dataObjectSize = 0;
    this.imageOffset = this.imageCrc = this.imageOffsetLast = this.imageCrcLast = 0;
  }
}

function imageSize(packet: DecodedInitPacket): number {
  return declaredImageSize(packet.init);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
