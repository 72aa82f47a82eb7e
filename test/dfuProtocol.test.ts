import path from 'node:path';
import { sha256 } from '@noble/hashes/sha2';
import { encodeInitCommand, encodeInitPacket, FwType, InitCommand, ValidationType } from '../src/core/initPacket';
import { describeResult, ExtError, Result } from '../src/core/dfu/protocol';
import { slipEncode, SlipDecoder } from '../src/core/dfu/slip';
import { ImageVerdict, SimulatedBootloader } from '../src/core/dfu/simulatedBootloader';
import { DfuHost, DfuPort } from '../src/core/dfu/transfer';
import { toLittleEndianHalves } from '../src/core/signature';
import { openPemFile, SoftwareKey } from '../src/plugins/pemFile';
import { INPUTS } from './helpers/cli';
import { hex } from './helpers/dfuSessions';

const hexOf = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

describe('SLIP', () => {
  it('escapes END and ESC and ends each frame with END', () => {
    expect(hex(slipEncode(hexOf('01 c0 02 db 03')))).toBe('01dbdc02dbdd03c0');
  });

  it('decodes frames split anywhere, and drops a frame with a bad escape', () => {
    const d = new SlipDecoder();
    expect(d.push(hexOf('01db'))).toEqual([]);
    expect(d.push(hexOf('dc02c0 c0 0a db 01 0b c0 09 01 c0')).map(hex)).toEqual(['01c002', '0901']);
  });
});

describe('result codes in words', () => {
  it('names the SDK codes', () => {
    expect(describeResult(Result.EXT_ERROR, ExtError.VERIFICATION_FAILED)).toBe('hash mismatch (extended error 0x0C VERIFICATION_FAILED)');
    expect(describeResult(Result.INSUFFICIENT_RESOURCES)).toBe('object too large for the device (result 0x04 INSUFFICIENT_RESOURCES)');
  });
});

let key: SoftwareKey;
let publicKey: Uint8Array;
beforeAll(async () => {
  key = await openPemFile(path.join(INPUTS, "key_a.pem"), { env: {}, config: {}, warn: () => {} });
  publicKey = await key.publicKey();
});

const firmware = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);

function initFor(bin: Uint8Array, changes: Partial<InitCommand> = {}): InitCommand {
  return {
    fwVersion: 1,
    hwVersion: 52,
    sdReq: [0xca],
    type: FwType.APPLICATION,
    sdSize: 0,
    blSize: 0,
    appSize: bin.length,
    hashType: 3,
    hash: sha256(bin).reverse(),
    isDebug: false,
    bootValidation: [{ type: ValidationType.VALIDATE_GENERATED_CRC, bytes: new Uint8Array() }],
    ...changes,
  };
}

async function signed(init: InitCommand): Promise<Uint8Array> {
  return encodeInitPacket(init, toLittleEndianHalves(await key.sign(encodeInitCommand(init))));
}

/** Host and simulator joined in memory: every frame the host sends is answered at once. */
function loopback(target: SimulatedBootloader) {
  const sent: Uint8Array[] = [];
  const inbox: Uint8Array[] = [];
  const port: DfuPort = {
    async write(bytes) {
      sent.push(bytes);
      inbox.push(...target.receive(bytes));
    },
    async read() {
      return inbox.shift();
    },
    async close() {},
  };
  const host = (prn = 0) =>
    new DfuHost({ portName: 'LOOP', openPort: async () => port, prn, ping: true, timeoutMs: 50, connectDelayMs: 0, sleep: async () => {}, now: Date.now });
  return { host, sent };
}

function device(verdicts: ImageVerdict[] = [], changes = {}) {
  return new SimulatedBootloader({ publicKey, hwVersion: 52, sdId: 0xca, appVersion: 0, blVersion: 0, ...changes }, (v) => verdicts.push(v));
}

describe('the simulated bootloader', () => {
  it('accepts a signed application with PRN 1 (a checksum after every write, the init packet included)', async () => {
    const verdicts: ImageVerdict[] = [];
    const { host } = loopback(device(verdicts));
    await host(1).sendImages([{ name: 'application', initPacket: await signed(initFor(firmware)), firmware }]);
    expect(verdicts).toEqual([{ type: 'APPLICATION', size: 5000, verdict: 'accept' }]);
  });

  it.each([
    ['an unsigned init packet', async () => encodeInitPacket(initFor(firmware)), 'signature missing (extended error 0x08 SIGNATURE_MISSING)'],
    ['sd_req beyond the decoder limit', async () => signed(initFor(firmware, { sdReq: Array.from({ length: 17 }, (_, i) => i + 1) })), 'INVALID_OBJECT'],
    ['a non-SHA-256 hash type', async () => signed(initFor(firmware, { hashType: 1 })), 'hash type not supported (extended error 0x09 WRONG_HASH_TYPE)'],
  ])('rejects %s', async (_what, makeInit, words) => {
    const verdicts: ImageVerdict[] = [];
    const { host } = loopback(device(verdicts));
    await expect(host().sendImages([{ name: 'application', initPacket: await makeInit(), firmware }])).rejects.toThrow(words);
    expect(verdicts.map((v) => v.verdict)).toEqual(['reject']);
  });

  it('skips the version checks for a debug packet', async () => {
    const verdicts: ImageVerdict[] = [];
    const { host } = loopback(device(verdicts, { hwVersion: 51, appVersion: 9 }));
    await host().sendImages([{ name: 'application', initPacket: await signed(initFor(firmware, { isDebug: true })), firmware }]);
    expect(verdicts.map((v) => v.verdict)).toEqual(['accept']);
  });

  it('refuses a downgrade after an update raised the application version', async () => {
    const verdicts: ImageVerdict[] = [];
    const { host } = loopback(device(verdicts));
    await host().sendImages([{ name: 'application', initPacket: await signed(initFor(firmware, { fwVersion: 5 })), firmware }]);
    await expect(host().sendImages([{ name: 'application', initPacket: await signed(initFor(firmware, { fwVersion: 4 })), firmware }])).rejects.toThrow(
      'FW_VERSION_FAILURE',
    );
  });

  it('never activates an image shorter than its init packet announces, and the host says so', async () => {
    const verdicts: ImageVerdict[] = [];
    const { host } = loopback(device(verdicts));
    const short = firmware.subarray(0, 4096);
    const image = { name: 'application', initPacket: await signed(initFor(firmware)), firmware: short, declaredSize: firmware.length };
    await expect(host().sendImages([image])).rejects.toThrow(
      'LOOP: the application image is 4096 bytes but its init packet announces 5000; the device keeps waiting for the rest and did not activate it',
    );
    expect(verdicts).toEqual([]);
  });

  it('answers unknown requests and oversized objects with the SDK codes', () => {
    const target = device();
    expect(hex(target.handle(hexOf('42'))!)).toBe('60420b03');
    expect(hex(target.handle(hexOf('01 01 01020000'))!)).toBe('600104');
    expect(hex(target.handle(hexOf('01 02 00100000'))!)).toBe('600108'); // no valid init packet yet
    expect(target.handle(hexOf('08 aabb'))).toBeUndefined(); // WRITE: no reply without PRN
  });
});

describe('the host resumes as nrfutil does', () => {
  it('completes an init packet the device already holds in part, without creating it again', async () => {
    const verdicts: ImageVerdict[] = [];
    const target = device(verdicts);
    const initPacket = await signed(initFor(firmware));
    target.handle(Uint8Array.of(0x01, 0x01, initPacket.length, 0, 0, 0));
    target.handle(Uint8Array.of(0x08, ...initPacket.subarray(0, 40)));
    const { host, sent } = loopback(target);
    await host().sendImages([{ name: 'application', initPacket, firmware }]);
    expect(sent.filter((f) => f[0] === 0x01 && f[1] === 0x01)).toEqual([]);
    expect(verdicts.map((v) => v.verdict)).toEqual(['accept']);
  });
});
