import { crc32 } from '../crc32';
import { NrfutilError } from '../errors';
import { ChecksumReply, describeResult, ObjectType, Op, opName, parseReply, readU16, readU32, request, Result, SelectReply, writeChunkSize } from './protocol';
import { slipEncode, SlipDecoder } from './slip';

/** One open connection to the target: raw bytes each way. */
export interface DfuPort {
  write(bytes: Uint8Array): Promise<void>;
  /** The next bytes that arrive, or undefined when none came within timeoutMs. */
  read(timeoutMs: number): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

/** One image of a package, as sent: init packet (.dat) then firmware (.bin). */
export interface DfuImage {
  /** For messages: "application", "softdevice_bootloader", … */
  name: string;
  initPacket: Uint8Array;
  firmware: Uint8Array;
  /** The size its init packet announces, when known: a shorter image is never activated. */
  declaredSize?: number;
}

export interface DfuHostOptions {
  /** The port's name, for messages. */
  portName: string;
  openPort: () => Promise<DfuPort>;
  /** Packet receipt notification: a checksum reply every `prn` WRITEs (0: none). */
  prn: number;
  /** `dfu serial` pings after opening the port; `dfu usb-serial` does not. */
  ping: boolean;
  /** How long to wait for the target: for a ping reply, and for each expected reply. */
  timeoutMs: number;
  /** Wait before each connection (nrfutil's --connect-delay). */
  connectDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  onProgress?: (image: DfuImage, bytes: number) => void;
  log?: (message: string) => void;
}

/** The target answered with a failure code. */
export class DfuTargetError extends NrfutilError {
  constructor(
    message: string,
    readonly result: number,
    readonly extError?: number,
  ) {
    super(message);
  }
}

/** No answer in time. */
export class DfuTimeoutError extends NrfutilError {}

/** The target's offset/CRC disagree with what we sent (nrfutil's ValidationException). */
class ValidationError extends Error {}

// nrfutil's pyserial read timeout: a ping not answered within it is sent again.
const PING_RETRY_MS = 1000;

/**
 * The host side of nRF5 SDK serial DFU, step for step as nrfutil 6.1.7's
 * DfuTransportSerial and Dfu: per image open, ping, set PRN, get MTU, init packet
 * (with nrfutil's resume of a partly sent one), firmware in objects of the target's
 * maximum size, close.
 */
export class DfuHost {
  private port?: DfuPort;
  private readonly decoder = new SlipDecoder();
  private readonly frames: Uint8Array[] = [];
  private pingId = 0;
  private mtu = 0;
  private image?: DfuImage;
  /** The object type of the last SELECT/CREATE: whether a failure concerns the init packet or the firmware. */
  private objectType: number = ObjectType.COMMAND;

  constructor(private readonly opts: DfuHostOptions) {}

  async sendImages(images: DfuImage[]): Promise<void> {
    for (const image of images) await this.sendImage(image);
  }

  private async sendImage(image: DfuImage): Promise<void> {
    this.image = image;
    await this.opts.sleep(this.opts.connectDelayMs);
    this.port = await this.opts.openPort();
    try {
      this.frames.length = 0;
      if (this.opts.ping) await this.pingUntilAnswered();
      await this.setPrn();
      await this.getMtu();
      this.opts.log?.(`Sending ${image.name} init packet (${image.initPacket.length} bytes)`);
      await this.sendInitPacket(image.initPacket);
      this.opts.log?.(`Sending ${image.name} firmware (${image.firmware.length} bytes)`);
      await this.sendFirmware(image.firmware);
      // The device answers every EXECUTE with success until the announced size is reached.
      if (image.declaredSize !== undefined && image.firmware.length < image.declaredSize)
        throw new NrfutilError(
          `${this.opts.portName}: the ${image.name} image is ${image.firmware.length} bytes but its init packet announces ${image.declaredSize}; the device keeps waiting for the rest and did not activate it`,
        );
    } finally {
      const port = this.port;
      this.port = undefined;
      await port.close();
    }
  }

  private async send(frame: Uint8Array): Promise<void> {
    await this.port!.write(slipEncode(frame));
  }

  /** The next whole frame, or undefined after timeoutMs. */
  private async nextFrame(timeoutMs: number): Promise<Uint8Array | undefined> {
    const deadline = this.opts.now() + timeoutMs;
    while (this.frames.length === 0) {
      const left = deadline - this.opts.now();
      if (left <= 0) return undefined;
      const bytes = await this.port!.read(left);
      if (!bytes) return undefined;
      this.frames.push(...this.decoder.push(bytes));
    }
    return this.frames.shift();
  }

  /** What a failed request was about, for the error message. */
  private stage(op: number): string {
    const name = this.image?.name ?? 'image';
    if (op === Op.EXECUTE) return `the ${name} ${this.objectType === ObjectType.COMMAND ? 'init packet' : 'firmware'}`;
    if (op === Op.CREATE || op === Op.WRITE || op === Op.CALC_CHECKSUM)
      return `the ${name} ${this.objectType === ObjectType.COMMAND ? 'init packet' : 'firmware'} (${opName(op)})`;
    return `${opName(op)} for the ${name}`;
  }

  /** The reply to `op`; a failure reply becomes a DfuTargetError in words. */
  private async reply(op: number): Promise<Uint8Array> {
    const frame = await this.nextFrame(this.opts.timeoutMs);
    if (!frame)
      throw new DfuTimeoutError(
        `${this.opts.portName}: no answer within ${this.opts.timeoutMs / 1000} s (expected the reply to ${opName(op)} while sending the ${this.image?.name ?? 'image'}); is the device in its serial DFU bootloader?`,
      );
    const reply = parseReply(frame);
    if (!reply) throw new NrfutilError(`${this.opts.portName}: the device sent a frame that is not a DFU reply (${Array.from(frame.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('')})`);
    if (reply.op !== op) throw new NrfutilError(`${this.opts.portName}: the device answered ${opName(reply.op)}, expected the reply to ${opName(op)}`);
    if (reply.result === Result.SUCCESS) return reply.payload;
    const ext = reply.result === Result.EXT_ERROR ? reply.payload[0] : undefined;
    throw new DfuTargetError(`${this.opts.portName}: the device rejected ${this.stage(op)}: ${describeResult(reply.result, ext)}`, reply.result, ext);
  }

  private async pingUntilAnswered(): Promise<void> {
    const start = this.opts.now();
    while (this.opts.now() - start < this.opts.timeoutMs) {
      if (await this.ping(Math.min(PING_RETRY_MS, this.opts.timeoutMs))) return;
    }
    throw new DfuTimeoutError(
      `${this.opts.portName}: no answer to PING within ${this.opts.timeoutMs / 1000} s; is the device in its serial DFU bootloader?`,
    );
  }

  /** As nrfutil: any reply to PING with an error code also shows the bootloader runs. */
  private async ping(waitMs: number): Promise<boolean> {
    this.pingId = (this.pingId + 1) % 256;
    await this.send(request.ping(this.pingId));
    const frame = await this.nextFrame(waitMs);
    const reply = frame && parseReply(frame);
    if (!reply || reply.op !== Op.PING) return false;
    if (reply.result !== Result.SUCCESS) return true;
    return reply.payload[0] === this.pingId;
  }

  private async setPrn(): Promise<void> {
    await this.send(request.setPrn(this.opts.prn));
    await this.reply(Op.SET_PRN);
  }

  private async getMtu(): Promise<void> {
    await this.send(request.mtu());
    const payload = await this.reply(Op.MTU_GET);
    this.mtu = readU16(payload, 0);
    if (writeChunkSize(this.mtu) < 1) throw new NrfutilError(`${this.opts.portName}: the device reports an MTU of ${this.mtu} bytes, too small for DFU`);
  }

  private async select(type: number): Promise<SelectReply> {
    this.objectType = type;
    await this.send(request.select(type));
    const p = await this.reply(Op.SELECT);
    return { maxSize: readU32(p, 0), offset: readU32(p, 4), crc: readU32(p, 8) };
  }

  private async create(type: number, size: number): Promise<void> {
    this.objectType = type;
    await this.send(request.create(type, size));
    await this.reply(Op.CREATE);
  }

  private async checksumReply(): Promise<ChecksumReply> {
    const p = await this.reply(Op.CALC_CHECKSUM);
    return { offset: readU32(p, 0), crc: readU32(p, 4) };
  }

  private async calculateChecksum(): Promise<ChecksumReply> {
    await this.send(request.checksum());
    return this.checksumReply();
  }

  private async execute(): Promise<void> {
    await this.send(request.execute());
    await this.reply(Op.EXECUTE);
  }

  /** WRITEs of `data`, a checksum reply every PRN writes and one CALC_CHECKSUM at the end; returns the running CRC. */
  private async streamData(data: Uint8Array, crc = 0, offset = 0): Promise<number> {
    const validate = (got: ChecksumReply) => {
      if (got.crc !== crc) throw new ValidationError(`CRC 0x${got.crc.toString(16)} at offset ${got.offset}, expected 0x${crc.toString(16)}`);
      if (got.offset !== offset) throw new ValidationError(`offset ${got.offset}, expected ${offset}`);
    };
    const chunk = writeChunkSize(this.mtu);
    let sincePrn = 0;
    for (let i = 0; i < data.length; i += chunk) {
      const part = data.subarray(i, i + chunk);
      await this.send(request.write(part));
      crc = crc32(part, crc);
      offset += part.length;
      if (++sincePrn === this.opts.prn) {
        sincePrn = 0;
        validate(await this.checksumReply());
      }
    }
    validate(await this.calculateChecksum());
    return crc;
  }

  private async sendInitPacket(init: Uint8Array): Promise<void> {
    const selected = await this.select(ObjectType.COMMAND);
    if (init.length > selected.maxSize)
      throw new NrfutilError(`${this.opts.portName}: the ${this.image?.name} init packet is ${init.length} bytes, the device accepts at most ${selected.maxSize}`);
    if (await this.resumeInitPacket(init, selected)) return;
    await this.create(ObjectType.COMMAND, init.length);
    try {
      await this.streamData(init);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      throw new NrfutilError(`${this.opts.portName}: the device received the ${this.image?.name} init packet corrupted (${e.message})`);
    }
    await this.execute();
  }

  /** nrfutil's recovery: a matching partial (or whole) init packet on the device is completed, not resent. */
  private async resumeInitPacket(init: Uint8Array, selected: SelectReply): Promise<boolean> {
    if (selected.offset === 0 || selected.offset > init.length) return false;
    const expected = crc32(init.subarray(0, selected.offset));
    if (expected !== selected.crc) return false;
    if (init.length > selected.offset) {
      try {
        await this.streamData(init.subarray(selected.offset), expected, selected.offset);
      } catch (e) {
        if (e instanceof ValidationError) return false;
        throw e;
      }
    }
    await this.execute();
    return true;
  }

  private async sendFirmware(firmware: Uint8Array): Promise<void> {
    const state = await this.select(ObjectType.DATA);
    if (state.maxSize === 0) throw new NrfutilError(`${this.opts.portName}: the device reports a data object size of 0`);
    await this.resumeFirmware(firmware, state);
    for (let i = state.offset; i < firmware.length; i += state.maxSize) {
      const part = firmware.subarray(i, i + state.maxSize);
      await this.create(ObjectType.DATA, part.length);
      try {
        state.crc = await this.streamData(part, state.crc, i);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        throw new NrfutilError(`${this.opts.portName}: the device received the ${this.image?.name} firmware corrupted (${e.message})`);
      }
      await this.execute();
      this.opts.onProgress?.(this.image!, part.length);
    }
  }

  /** nrfutil's recovery of firmware already on the device: keep what checks out, finish a partial object. */
  private async resumeFirmware(firmware: Uint8Array, state: SelectReply): Promise<void> {
    if (state.offset === 0) return;
    const remainder = state.offset % state.maxSize;
    if (state.offset > firmware.length || crc32(firmware.subarray(0, state.offset)) !== state.crc) {
      state.offset = state.offset > firmware.length ? 0 : state.offset - (remainder !== 0 ? remainder : state.maxSize);
      state.crc = crc32(firmware.subarray(0, state.offset));
      return;
    }
    if (remainder !== 0 && state.offset !== firmware.length) {
      const rest = firmware.subarray(state.offset, state.offset + state.maxSize - remainder);
      try {
        state.crc = await this.streamData(rest, state.crc, state.offset);
        state.offset += rest.length;
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        state.offset -= remainder;
        state.crc = crc32(firmware.subarray(0, state.offset));
        return;
      }
    }
    await this.execute();
    this.opts.onProgress?.(this.image!, state.offset);
  }
}

/** nrfutil's image order: SoftDevice+bootloader, SoftDevice, bootloader, application. */
export const IMAGE_ORDER = ['softdevice_bootloader', 'softdevice', 'bootloader', 'application'] as const;
