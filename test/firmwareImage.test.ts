import { imageFromBin, imageFromHexSegments, loadFirmwareImage, packageBinName, packageDatName } from '../src/core/firmwareImage';
import { writeIntelHex } from '../src/core/intelHex';

const SD_MAGIC_LE = Uint8Array.of(0xdb, 0xe5, 0xb1, 0x51);

function withMagicAt(address: number, length = 0x100): Uint8Array {
  const data = new Uint8Array(length).fill(0x11);
  data.set(SD_MAGIC_LE, address);
  return data;
}

describe('firmware image normalisation', () => {
  test('drops the MBR page and UICR, fills gaps with 0xFF and rounds up to a word', () => {
    const image = imageFromHexSegments(
      [
        { address: 0x0, data: new Uint8Array(0x1000).fill(0xaa) }, // MBR
        { address: 0x1000, data: Uint8Array.of(1, 2) },
        { address: 0x1008, data: Uint8Array.of(3) },
        { address: 0x10001014, data: Uint8Array.of(9, 9, 9, 9) }, // UICR
      ],
      'a.hex',
    );
    expect(image.startAddress).toBe(0x1000);
    expect([...image.bin]).toEqual([1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 3, 0xff, 0xff, 0xff]);
  });

  test('an application starts at its lowest address', () => {
    const image = imageFromHexSegments([{ address: 0x26000, data: Uint8Array.of(1, 2, 3, 4, 5) }], 'app.hex');
    expect(image.startAddress).toBe(0x26000);
    expect(image.bin.length).toBe(8);
  });

  test('a SoftDevice info struct at 0x3000 means a one-page MBR', () => {
    const image = imageFromHexSegments([{ address: 0x0, data: withMagicAt(0x3004, 0x4000) }], 'sd.hex');
    expect(image.startAddress).toBe(0x1000);
  });

  test.each([0x4004, 0x5004, 0x6004, 0x7004])('a SoftDevice info struct at 0x%s means the MBR ends at 0x3000', (at) => {
    const image = imageFromHexSegments([{ address: 0x0, data: withMagicAt(at, 0x8000) }], 'sd.hex');
    expect(image.startAddress).toBe(0x3000);
    expect(image.bin.length).toBe(0x5000);
  });

  test('a .bin is taken from address 0 and rounded up with 0xFF', () => {
    const image = imageFromBin(Uint8Array.of(1, 2, 3, 4, 5), 'x.bin');
    expect([...image.bin]).toEqual([1, 2, 3, 4, 5, 0xff, 0xff, 0xff]);
  });

  test('empty images are refused with the file name', () => {
    expect(() => imageFromBin(new Uint8Array(), 'empty.bin')).toThrow(/empty\.bin: the file is empty/);
    expect(() => loadFirmwareImage('mbr.hex', Buffer.from(writeIntelHex([{ address: 0, data: new Uint8Array(16) }])))).toThrow(/mbr\.hex: .*empty image/);
    expect(() => loadFirmwareImage('none.hex', Buffer.from(':00000001FF\n'))).toThrow(/none\.hex: .*empty image/);
  });

  test('package member names follow nrfutil: .hex → .bin → .dat', () => {
    expect(packageBinName('fw/app.hex')).toBe('app.bin');
    expect(packageBinName('a.hex.hex')).toBe('a.bin.bin');
    expect(packageDatName('app.bin')).toBe('app.dat');
  });
});
