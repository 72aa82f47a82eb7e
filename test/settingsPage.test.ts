import { createHash } from 'node:crypto';
import { crc32 } from '../src/core/crc32';
import { ValidationType } from '../src/core/initPacket';
import { parseIntelHex, writeIntelHex } from '../src/core/intelHex';
import { findSettings, readSettingsFields } from '../src/core/settingsDisplay';
import { backupOverlapsPage, buildSettingsPage, Offset, settingsSegments } from '../src/core/settingsPage';
import { publicKeyOf, signP256, verifyP256 } from '../src/core/signature';

const app = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
const sd = Uint8Array.from({ length: 600 }, (_, i) => (i * 13) & 0xff);
const word = (page: Uint8Array, at: number) => new DataView(page.buffer, page.byteOffset).getUint32(at, true);

describe('settings page layout', () => {
  test('version 1: 92 bytes, fields at their offsets, CRC over 0x04..0x5B', async () => {
    const page = await buildSettingsPage({ version: 1, applicationVersion: 3, bootloaderVersion: 2, application: { bin: app, validation: ValidationType.NO_VALIDATION } });
    expect(page.length).toBe(92);
    expect(word(page, Offset.SETTINGS_VERSION)).toBe(1);
    expect(word(page, Offset.APP_VERSION)).toBe(3);
    expect(word(page, Offset.BOOTLOADER_VERSION)).toBe(2);
    expect(word(page, Offset.BANK0_IMAGE_SIZE)).toBe(app.length);
    expect(word(page, Offset.BANK0_IMAGE_CRC)).toBe(crc32(app));
    expect(word(page, Offset.BANK0_BANK_CODE)).toBe(1);
    expect(word(page, Offset.CRC)).toBe(crc32(page.subarray(4, 0x5c)));
  });

  test('version 2: 803 bytes and one 0xFF pad, boot-validation block with its own CRC', async () => {
    const page = await buildSettingsPage({
      version: 2,
      applicationVersion: 1,
      bootloaderVersion: 1,
      application: { bin: app, validation: ValidationType.VALIDATE_SHA256 },
      softdevice: { bin: sd, validation: ValidationType.VALIDATE_GENERATED_CRC },
    });
    expect(page.length).toBe(804);
    expect(page[803]).toBe(0xff);
    expect(word(page, Offset.SD_SIZE)).toBe(sd.length);
    expect(page[Offset.SD_VALIDATION_TYPE]).toBe(ValidationType.VALIDATE_GENERATED_CRC);
    expect(word(page, Offset.SD_VALIDATION_BYTES)).toBe(crc32(sd));
    expect(page[Offset.APP_VALIDATION_TYPE]).toBe(ValidationType.VALIDATE_SHA256);
    expect(Buffer.from(page.subarray(Offset.APP_VALIDATION_BYTES, Offset.APP_VALIDATION_BYTES + 32))).toEqual(createHash('sha256').update(app).digest());
    expect(word(page, Offset.BOOT_VALIDATION_CRC)).toBe(crc32(page.subarray(0x260, 0x323)));
    expect(word(page, Offset.CRC)).toBe(crc32(page.subarray(4, 0x5c)));
  });

  test('ECDSA boot validation is a signature over the image, halves little-endian', async () => {
    const priv = new Uint8Array(32).fill(7);
    const page = await buildSettingsPage(
      { version: 2, applicationVersion: 1, bootloaderVersion: 1, application: { bin: app, validation: ValidationType.VALIDATE_ECDSA_P256_SHA256 } },
      async (m) => signP256(priv, m),
    );
    const stored = page.subarray(Offset.APP_VALIDATION_BYTES, Offset.APP_VALIDATION_BYTES + 64);
    const rs = new Uint8Array([...stored.subarray(0, 32)].reverse().concat([...stored.subarray(32)].reverse()));
    expect(verifyP256(publicKeyOf(priv), app, rs)).toBe(true);
  });

  test('the backup page holds the same bytes at the backup address and reads back', async () => {
    const page = await buildSettingsPage({ version: 2, applicationVersion: 5, bootloaderVersion: 1 });
    const hex = writeIntelHex(settingsSegments(page, 0xff000, 0xfd000));
    const segments = parseIntelHex(hex, 'settings.hex');
    expect(segments.map((s) => s.address)).toEqual([0xfd000, 0xff000]);
    expect(segments[0].data).toEqual(segments[1].data);
    expect(readSettingsFields(segments, 0xfd000)).toEqual(readSettingsFields(segments, 0xff000));
    const view = findSettings(segments, 'settings.hex', () => undefined);
    expect(view.family).toBe('NRF52840');
    expect(view.startAddress).toBe(0xfd000);
  });

  test('a backup address overlapping the page is detected', async () => {
    const page = await buildSettingsPage({ version: 2, applicationVersion: 5, bootloaderVersion: 1 });
    expect(backupOverlapsPage(page, 0x7f000, 0x7f200)).toBe(true);
    expect(backupOverlapsPage(page, 0x7f000, 0x7ee00)).toBe(true);
    expect(backupOverlapsPage(page, 0x7f000, 0x7e000)).toBe(false);
  });

  test('a page whose CRC does not match falls through to the next address, as nrfutil', async () => {
    const page = await buildSettingsPage({ version: 2, applicationVersion: 5, bootloaderVersion: 1 });
    const broken = Uint8Array.from(page);
    broken[Offset.APP_VERSION] ^= 1;
    const notes: string[] = [];
    expect(() => findSettings([{ address: 0x7f000, data: broken }], 's.hex', (n) => notes.push(n))).toThrow(/Failed to parse \.hex file: Bad access at 0xFF000/);
    expect(notes).toEqual([expect.stringMatching(/^CRC32 mismtach: flash: 0x[0-9a-f]+ calculated: 0x[0-9a-f]+\n$/)]);
  });

  test('a bad boot-validation CRC is only a warning: nrfutil does not check it', async () => {
    const page = await buildSettingsPage({ version: 2, applicationVersion: 5, bootloaderVersion: 1 });
    const brokenBv = Uint8Array.from(page);
    brokenBv[Offset.APP_VALIDATION_BYTES] ^= 1;
    const warnings: string[] = [];
    const view = findSettings([{ address: 0x7f000, data: brokenBv }], 's.hex', () => undefined, (w) => warnings.push(w));
    expect(view.family).toBe('NRF52');
    expect(warnings).toEqual([expect.stringMatching(/^Warning: s\.hex: .*boot-validation CRC/)]);
  });
});
