import fs from 'node:fs';
import path from 'node:path';
import { decodeInitPacket, encodeInitCommand, encodeInitPacket, FwType, InitCommand, ValidationType } from '../src/core/initPacket';
import { CORPUS } from './helpers/cli';

const recorded = (c: string, member: string) => fs.readFileSync(path.join(CORPUS, 'cases', c, 'out', member));

const init: InitCommand = {
  fwVersion: 1,
  hwVersion: 52,
  sdReq: [0xca],
  type: FwType.APPLICATION,
  sdSize: 0,
  blSize: 0,
  appSize: 8,
  hashType: 3,
  hash: new Uint8Array(32).fill(7),
  isDebug: false,
  bootValidation: [{ type: ValidationType.VALIDATE_GENERATED_CRC, bytes: new Uint8Array() }],
};

describe('init packet', () => {
  test('writes every field, defaults included, in field order', () => {
    const bytes = Buffer.from(encodeInitCommand(init)).toString('hex');
    // fw_version=1, hw_version=52, sd_req packed [0xCA], type=0, sd_size=0, bl_size=0, app_size=8
    expect(bytes.startsWith('0801' + '1034' + '1a02ca01' + '2000' + '2800' + '3000' + '3808')).toBe(true);
    // is_debug=false is present, and the CRC boot validation carries an empty bytes field
    expect(bytes.endsWith('4800' + '5204' + '0801' + '1200')).toBe(true);
  });

  test('unsigned packets hold Packet.command; signed ones Packet.signed_command', () => {
    expect(encodeInitPacket(init)[0]).toBe(0x0a);
    expect(encodeInitPacket(init, new Uint8Array(64))[0]).toBe(0x12);
  });

  test('re-encoding a recorded signed packet reproduces it byte for byte', () => {
    const dat = recorded('pkg-sd-bl-bv-ecdsa', 'sdbl.zip/sd_bl.dat');
    const decoded = decodeInitPacket(dat, 'sd_bl.dat');
    expect(decoded.init.type).toBe(FwType.SOFTDEVICE_BOOTLOADER);
    expect(decoded.init.bootValidation.map((b) => b.type)).toEqual([ValidationType.VALIDATE_ECDSA_P256_SHA256, ValidationType.VALIDATE_GENERATED_CRC]);
    expect(Buffer.from(encodeInitCommand(decoded.init))).toEqual(Buffer.from(decoded.initBytes));
    expect(Buffer.from(encodeInitPacket(decoded.init, decoded.signed!.signature))).toEqual(dat);
  });

  test('garbage is refused with the file name', () => {
    expect(() => decodeInitPacket(Uint8Array.of(0xff, 0xff, 0xff), 'bad.dat')).toThrow(/bad\.dat/);
  });
});
