import { buildZigbeeOtaFile, encodeZigbeeOtaFile, isNordicZigbeeUpdate, parseZigbeeOtaFile, zigbeeOtaFileName, ZigbeeOtaHeader } from '../src/core/zigbeeOta';
import { crc32 } from '../src/core/crc32';

const header: ZigbeeOtaHeader = { manufacturerId: 0x1234, imageType: 0x0141, fileVersion: 0x01020101, comment: 'good-image' };
const init = Uint8Array.from({ length: 40 }, (_, i) => i);
const firmware = Uint8Array.from({ length: 101 }, (_, i) => 255 - i);

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

describe('Zigbee OTA file', () => {
  test('crc32 is the zlib CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    expect(crc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  test('header carries the ZCL fields little-endian and the comment as a Pascal string', () => {
    const ota = buildZigbeeOtaFile(header, init, firmware);
    const v = view(ota);
    expect(v.getUint32(0, true)).toBe(0x0beef11e);
    expect(v.getUint16(4, true)).toBe(0x0100);
    expect(v.getUint16(6, true)).toBe(56);
    expect(v.getUint16(8, true)).toBe(0);
    expect(v.getUint16(10, true)).toBe(0x1234);
    expect(v.getUint16(12, true)).toBe(0x0141);
    expect(v.getUint32(14, true)).toBe(0x01020101);
    expect(v.getUint16(18, true)).toBe(2);
    expect(ota[20]).toBe('good-image'.length);
    expect(Buffer.from(ota.subarray(21, 31)).toString()).toBe('good-image');
    expect(ota.subarray(31, 52).every((b) => b === 0)).toBe(true);
    expect(v.getUint32(52, true)).toBe(ota.length);
  });

  test('trigger, init packet and firmware follow as sub-elements', () => {
    const ota = buildZigbeeOtaFile(header, init, firmware);
    const v = view(ota);
    expect(v.getUint16(56, true)).toBe(0xcdef);
    expect(v.getUint32(58, true)).toBe(17);
    expect(ota[62]).toBe(0x10);
    expect(v.getUint32(63)).toBe(init.length);
    expect(v.getUint32(67)).toBe(crc32(init));
    expect(v.getUint32(71)).toBe(firmware.length);
    expect(v.getUint32(75)).toBe(crc32(firmware));
    expect(v.getUint16(79, true)).toBe(0);
    expect(v.getUint32(81, true)).toBe(init.length);
    expect(ota.subarray(85, 85 + init.length)).toEqual(init);
    const fwAt = 85 + init.length;
    expect(v.getUint16(fwAt, true)).toBe(0);
    expect(v.getUint32(fwAt + 2, true)).toBe(firmware.length);
    expect(ota.subarray(fwAt + 6)).toEqual(firmware);
  });

  test('a hardware version range sets field control bit 2 and grows the header by 4 bytes', () => {
    const ota = buildZigbeeOtaFile({ ...header, minHwVersion: 40, maxHwVersion: 60 }, init, firmware);
    const v = view(ota);
    expect(v.getUint16(6, true)).toBe(60);
    expect(v.getUint16(8, true)).toBe(4);
    expect(v.getUint16(56, true)).toBe(40);
    expect(v.getUint16(58, true)).toBe(60);
    expect(v.getUint16(60, true)).toBe(0xcdef);
    expect(ota.length).toBe(buildZigbeeOtaFile(header, init, firmware).length + 4);
  });

  test('a comment longer than 31 bytes is cut in the header, as Python struct 32p does', () => {
    const long = 'x'.repeat(40);
    const ota = buildZigbeeOtaFile({ ...header, comment: long }, init, firmware);
    expect(ota[20]).toBe(31);
    expect(Buffer.from(ota.subarray(21, 52)).toString()).toBe('x'.repeat(31));
  });

  test('file name is MMMM-IIII-VVVVVVVV-COMMENT.zigbee in upper-case hex', () => {
    expect(zigbeeOtaFileName(header)).toBe('1234-0141-01020101-good-image.zigbee');
    expect(zigbeeOtaFileName({ manufacturerId: 0xffff, imageType: 0xffff, fileVersion: 3, comment: '' })).toBe('FFFF-FFFF-00000003-.zigbee');
  });

  describe('read back (pkg sign, pkg verify)', () => {
    const padded = (ota: Uint8Array) => Uint8Array.from([...ota, ...new Array((4 - (ota.length % 4)) % 4).fill(0xff)]);

    test.each<[string, ZigbeeOtaHeader, Uint8Array]>([
      ['without hardware versions', header, init],
      ['with hardware versions', { ...header, minHwVersion: 40, maxHwVersion: 60 }, init],
      ['with a comment cut inside a character', { ...header, comment: 'x'.repeat(30) + 'üü' }, init],
      ['of a length that is not a multiple of 4', header, init.subarray(1)],
    ])('%s: the parts come back and rebuild the same bytes, with or without the .bin padding', (_, h, initPacket) => {
      const ota = buildZigbeeOtaFile(h, initPacket, firmware);
      for (const bytes of [ota, padded(ota)]) {
        const parsed = parseZigbeeOtaFile(bytes);
        expect(parsed.initPacket).toEqual(initPacket);
        expect(parsed.firmware).toEqual(firmware);
        expect(parsed.otaFile).toEqual(ota);
        expect(encodeZigbeeOtaFile(parsed.layout, parsed.initPacket, parsed.firmware)).toEqual(ota);
      }
    });

    test('a Nordic Zigbee update starts with the DFU trigger; another OTA file is not one', () => {
      const ota = buildZigbeeOtaFile(header, init, firmware);
      expect(isNordicZigbeeUpdate(ota)).toBe(true);
      expect(isNordicZigbeeUpdate(buildZigbeeOtaFile({ ...header, minHwVersion: 1, maxHwVersion: 2 }, init, firmware))).toBe(true);
      expect(isNordicZigbeeUpdate(ota.map((b, i) => (i === 56 || i === 57 ? 0 : b)))).toBe(false);
      expect(isNordicZigbeeUpdate(ota.subarray(0, 20))).toBe(false);
      expect(isNordicZigbeeUpdate(firmware)).toBe(false);
    });

    test.each<[string, (ota: Uint8Array) => Uint8Array, RegExp]>([
      ['not an OTA file', (ota) => ota.map((b, i) => (i === 0 ? 0 : b)), /^no Zigbee OTA header$/],
      ['a firmware byte changed', (ota) => ota.map((b, i) => (i === ota.length - 1 ? b ^ 1 : b)), /^its trigger's firmware CRC-32 is 0x[0-9A-F]{8}, the firmware inside gives/],
      ['trailing bytes', (ota) => Uint8Array.from([...ota, 1, 2, 3, 4, 5]), /more than padding to a multiple of 4/],
      ['a truncated file', (ota) => ota.subarray(0, ota.length - 1), /^the header says \d+ bytes, the file holds \d+$/],
      ['another stack version', (ota) => ota.map((b, i) => (i === 18 ? 1 : b)), /^byte 18 differs from what pkg generate --zigbee True writes/],
      ['a fourth sub-element', (ota) => {
        const out = Uint8Array.from([...ota, 0, 0, 0, 0, 0, 0]);
        new DataView(out.buffer).setUint32(52, out.length, true);
        return out;
      }, /^sub-elements 0xCDEF, 0x0000, 0x0000, 0x0000 /],
    ])('refuses %s, saying what', (_, change, reason) => {
      expect(() => parseZigbeeOtaFile(change(buildZigbeeOtaFile(header, init, firmware)))).toThrow(reason);
    });
  });
});
