// Intel HEX input and output, settings generate and settings display as nrfutil 6.1.7
// (python intelhex underneath) does them (issue 10): one test per class.
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from '../src/core/crc32';
import { NrfutilError } from '../src/core/errors';
import { parseIntelHex, writeIntelHex } from '../src/core/intelHex';
import { findSettings } from '../src/core/settingsDisplay';
import { buildSettingsPage, Offset, V1_LENGTH } from '../src/core/settingsPage';
import { runCli, tempDirWith } from './helpers/cli';

const EOF_RECORD = ':00000001FF';
const FIXTURES = path.join(__dirname, 'fixtures', 'parity');

describe('Intel HEX input is as strict as python intelhex', () => {
  test.each([
    ['data written twice to one address', [':0100000011EE', ':020000001122CB', EOF_RECORD], /line 2: data overlap at address 0x00000000/],
    ['an 04 record with a non-zero address field', [':020010040001E9', EOF_RECORD], /line 1: extended linear address record must have 2 data bytes and address 0000/],
    ['an 02 record with a non-zero address field', [':020010021000DC', EOF_RECORD], /line 1: extended segment address record must have 2 data bytes and address 0000/],
    ['an EOF record carrying data', [':0100000011EE', ':01000001AA54'], /line 2: end-of-file record carries data/],
    ['two start-address records', [':0400000500001000E7', ':0400000500002000D7', EOF_RECORD], /line 2: a second start address record/],
    ['a 05 record whose length is not 4', [':020000051000E9', EOF_RECORD], /line 1: start address record must have 4 data bytes/],
    ['no EOF record (we require it: a truncated file must not become a package)', [':0100000011EE'], /no end-of-file record/],
  ])('refuses %s, naming the file', (_what, lines, message) => {
    const text = lines.join('\n') + '\n';
    expect(() => parseIntelHex(text, 'bad.hex')).toThrow(NrfutilError);
    expect(() => parseIntelHex(text, 'bad.hex')).toThrow(message);
    expect(() => parseIntelHex(text, 'bad.hex')).toThrow(/^bad\.hex/);
  });

  test('accepts CR-only line endings as nrfutil does', () => {
    expect(parseIntelHex(':0100000011EE\r:0100010022DC\r:00000001FF\r', 'mac.hex')).toEqual([{ address: 0, data: Uint8Array.of(0x11, 0x22) }]);
  });

  test('one start-address record is fine', () => {
    expect(parseIntelHex(':0400000500001000E7\n:0100000011EE\n' + EOF_RECORD, 'ok.hex')).toEqual([{ address: 0, data: Uint8Array.of(0x11) }]);
  });

  test('pkg generate refuses an overlapping hex: exit 1, one line, no zip', () => {
    const dir = tempDirWith();
    fs.writeFileSync(path.join(dir, 'app.hex'), [':020000040001F9', ':0400100001020304E2', ':0400120001020304E0', EOF_RECORD].join('\n'));
    const res = runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0', '--application', 'app.hex', '--application-version', '1', 'o.zip'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('Error: app.hex line 3: data overlap at address 0x00010012 (written twice); the file is corrupt\n');
    expect(fs.existsSync(path.join(dir, 'o.zip'))).toBe(false);
  });
});

describe('Intel HEX output is laid out as python intelhex writes it', () => {
  test('records start at each run\'s first address, 16 bytes each, not aligned to rows', () => {
    const text = writeIntelHex([{ address: 0x7f001, data: new Uint8Array(20).fill(0x11) }]);
    expect(text).toBe(':020000040007F3\n:10F0010011111111111111111111111111111111EF\n:04F0110011111111B7\n:00000001FF\n');
  });

  test('no 04 record when every address is below 64 KiB', () => {
    expect(writeIntelHex([{ address: 0x9000, data: Uint8Array.of(1, 2) }])).toBe(':0290000001026B\n:00000001FF\n');
  });

  test.each([
    ['0x7F001', '2', 'settings-nrf52-v2-start-0x7F001.hex'],
    ['0x9000', '1', 'settings-nrf52-v1-start-0x9000.hex'],
  ])('settings generate --start-address %s writes the text nrfutil writes', (address, version, fixture) => {
    const dir = tempDirWith();
    const res = runCli(['settings', 'generate', '--family', 'NRF52', '--bootloader-version', '1', '--bl-settings-version', version, '--start-address', address, 's.hex'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 's.hex'), 'latin1')).toBe(fs.readFileSync(path.join(FIXTURES, fixture), 'latin1'));
  });
});

describe('settings generate prints what nrfutil prints', () => {
  const base = ['settings', 'generate', '--family', 'NRF52', '--bootloader-version', '1', '--bl-settings-version', '2'];

  test('a missing --key-file or --softdevice is a usage error before any note, as click checks paths first', () => {
    const res = runCli([...base, '--key-file', 'nothere.pem', 's.hex'], { cwd: tempDirWith() });
    expect(res).toMatchObject({ status: 2, stdout: '', stderr: "Error: Invalid value for '--key-file': File 'nothere.pem' does not exist.\n" });
    expect(runCli([...base, '--softdevice', 'sd.hex', 's.hex'], { cwd: tempDirWith() })).toMatchObject({ status: 2, stdout: '' });
  });

  test('the default-offset warning also comes with --no-backup', () => {
    const res = runCli([...base, '--start-address', '0x7E000', '--no-backup', 's.hex'], { cwd: tempDirWith() });
    expect(res.status).toBe(0);
    expect(res.stdout.startsWith('WARNING: Using default offset in order to calculate bootloader settings backup page\n\nGenerated')).toBe(true);
  });

  test('the insecure-key banner for the SDK debug key, as pkg generate prints it', () => {
    const dir = tempDirWith('app_nrf52.hex', 'debug_key.pem');
    const res = runCli([...base, '--application', 'app_nrf52.hex', '--application-version', '1', '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', '--key-file', 'debug_key.pem', '--no-backup', 's.hex'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^\n\|={63}\|\n.*\|The security key you provided is insecure/s);
  });

  test('the both-versions warning (not for --application-version 0)', () => {
    const dir = tempDirWith('app_nrf52.hex');
    const args = [...base, '--application', 'app_nrf52.hex', '--application-version-string', '1.2.3', '--no-backup'];
    const both = runCli([...args, '--application-version', '7', 's.hex'], { cwd: dir });
    expect(both.stdout.startsWith('Warning: When both application-version-string and application-version are provided, only the string will be used.\n')).toBe(true);
    expect(runCli([...args, '--application-version', '0', 't.hex'], { cwd: dir }).stdout).not.toContain('Warning: When both');
  });
});

/** A hex file holding `page` at `address` (no backup). */
function hexWith(dir: string, page: Uint8Array, address = 0x7f000, holes: number[] = []): string {
  const memory = new Map<number, number>();
  page.forEach((b, i) => holes.includes(i) || memory.set(address + i, b));
  const segments = [...memory.keys()].map((a) => ({ address: a, data: Uint8Array.of(memory.get(a)!) }));
  fs.writeFileSync(path.join(dir, 's.hex'), writeIntelHex(segments));
  return 's.hex';
}

function withMainCrc(page: Uint8Array, holes: number[] = []): Uint8Array {
  const region = page.slice(4, V1_LENGTH);
  for (const h of holes) if (h >= 4 && h < V1_LENGTH) region[h - 4] = 0xff;
  new DataView(page.buffer).setUint32(0, crc32(region), true);
  return page;
}

describe('settings display reads as nrfutil reads', () => {
  test('a version-1 page shows SoftDevice size 0 (nrfutil does not read it for v1)', async () => {
    const dir = tempDirWith('sd_s1x0.hex');
    const made = runCli(['settings', 'generate', '--family', 'NRF52', '--bootloader-version', '1', '--bl-settings-version', '1', '--softdevice', 'sd_s1x0.hex', '--no-backup', 's.hex'], { cwd: dir });
    expect(made.stdout).not.toContain('* Softdevice Size:          0x00000000 (0 bytes)');
    const res = runCli(['settings', 'display', 's.hex'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('* Softdevice Size:          0x00000000 (0 bytes)\n');
  });

  test('boot-validation type bytes are signed: 0x80 shows as 0xFFFFFF80 (4294967168)', async () => {
    const dir = tempDirWith();
    const page = await buildSettingsPage({ version: 2, applicationVersion: 1, bootloaderVersion: 1 });
    page[Offset.SD_VALIDATION_TYPE] = 0x80;
    page[Offset.APP_VALIDATION_TYPE] = 0xff;
    const res = runCli(['settings', 'display', hexWith(dir, page)], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('* SD Boot Validation Type:  0xFFFFFF80 (4294967168)\n* App Boot Validation Type: 0xFFFFFFFF (4294967295)\n');
    expect(res.stderr).toMatch(/^Warning: s\.hex: .*boot-validation CRC/); // we check it; nrfutil does not
  });

  test('bytes missing inside the CRC region read as 0xFF; missing boot-validation bytes are not needed', async () => {
    const dir = tempDirWith();
    const holes = [0x40, 0x41, 0x300];
    const page = withMainCrc(await buildSettingsPage({ version: 2, applicationVersion: 1, bootloaderVersion: 1 }), holes);
    const res = runCli(['settings', 'display', hexWith(dir, page, 0x7f000, holes)], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('* Family:                   nRF52\n');
  });

  test('only versions 1 and 2 are settings pages; a failed probe falls through to the next address', async () => {
    const dir = tempDirWith();
    const page = await buildSettingsPage({ version: 2, applicationVersion: 1, bootloaderVersion: 1 });
    const v3 = withMainCrc(Uint8Array.from(page));
    v3[Offset.SETTINGS_VERSION] = 3;
    const memory = [...v3].map((b, i) => ({ address: 0x7f000 + i, data: Uint8Array.of(b) }));
    const good = { address: 0x3f000, data: page };
    fs.writeFileSync(path.join(dir, 's.hex'), writeIntelHex([good, ...memory]));
    const res = runCli(['settings', 'display', 's.hex'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stdout.startsWith('Unknown Bootloader DFU settings version: 3\n\nBootloader DFU Settings:\n')).toBe(true);
    expect(res.stdout).toContain('* Family:                   nRF52QFAB\n');
  });

  test('when no address yields a page: nrfutil\'s probe output, exit 2', async () => {
    const page = await buildSettingsPage({ version: 2, applicationVersion: 1, bootloaderVersion: 1 });
    page[Offset.SETTINGS_VERSION] = 9;
    const notes: string[] = [];
    expect(() => findSettings([{ address: 0x7f000, data: page }], 's.hex', (n) => notes.push(n))).toThrow(/^Failed to parse \.hex file: Bad access at 0xFF000/);
    expect(notes).toEqual(['Unknown Bootloader DFU settings version: 9\n']);
  });
});
