import fs from 'node:fs';
import path from 'node:path';
import { parseIntelHex } from '../src/core/intelHex';
import { runCli, tempDirWith } from './helpers/cli';

const base = ['settings', 'generate', '--family', 'NRF52', '--application', 'app_nrf52.hex', '--application-version', '3', '--bootloader-version', '2', '--bl-settings-version', '2'];
const hexFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('settings.hex') || f.endsWith('.tmp'));

function expectOneLineError(res: { status: number | null; stderr: string }, status: number, pattern: RegExp) {
  expect(res.status).toBe(status);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(res.stderr).toMatch(pattern);
}

describe('settings generate', () => {
  test('--backup-address places the backup page where asked', () => {
    const dir = tempDirWith('app_nrf52.hex');
    const res = runCli([...base, '--backup-address', '0x7C000', 'settings.hex'], { cwd: dir });
    expect(res.status).toBe(0);
    const segments = parseIntelHex(fs.readFileSync(path.join(dir, 'settings.hex'), 'latin1'), 'settings.hex');
    expect(segments.map((s) => s.address)).toEqual([0x7c000, 0x7f000]);
    expect(segments[0].data).toEqual(segments[1].data);
    const shown = runCli(['settings', 'display', 'settings.hex'], { cwd: dir });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('* Start Address:            0x0007C000');
  });

  test('a backup address overlapping the settings page is a usage error and writes nothing', () => {
    const dir = tempDirWith('app_nrf52.hex');
    expectOneLineError(runCli([...base, '--backup-address', '0x7F100', 'settings.hex'], { cwd: dir }), 2, /'--backup-address'.*overlaps/);
    expect(hexFiles(dir)).toEqual([]);
  });

  test('ECDSA boot validation without a key is a usage error', () => {
    const dir = tempDirWith('app_nrf52.hex');
    expectOneLineError(runCli([...base, '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', 'settings.hex'], { cwd: dir }), 2, /needs a signing key/);
    expect(hexFiles(dir)).toEqual([]);
  });

  test('ECDSA boot validation signs through --key-dir/--device as well', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'keys', 'dev-1.pem'));
    const viaDir = runCli([...base, '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', '--key-dir', 'keys', '--device', 'dev-1', 'a.hex'], { cwd: dir });
    const viaFile = runCli([...base, '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', '--key-file', 'key_a.pem', 'b.hex'], { cwd: dir });
    expect(viaDir.status).toBe(0);
    expect(viaFile.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.hex'))).toEqual(fs.readFileSync(path.join(dir, 'b.hex')));
  });

  test('an unknown settings version exits 1 after the note, writing nothing', () => {
    const dir = tempDirWith('app_nrf52.hex');
    const res = runCli(['settings', 'generate', '--family', 'NRF52', '--bootloader-version', '2', '--bl-settings-version', '3', 'settings.hex'], { cwd: dir });
    expectOneLineError(res, 1, /Unknown bootloader settings version 3/);
    expect(hexFiles(dir)).toEqual([]);
  });

  test('a missing output directory is one line, exit 1', () => {
    const dir = tempDirWith('app_nrf52.hex');
    expectOneLineError(runCli([...base, 'nowhere/settings.hex'], { cwd: dir }), 1, /nowhere/);
  });
});

describe('settings display', () => {
  test('a hex file without a settings page: one line, exit 2 as nrfutil', () => {
    const dir = tempDirWith('app_nrf52.hex');
    const res = runCli(['settings', 'display', 'app_nrf52.hex'], { cwd: dir });
    expectOneLineError(res, 2, /Failed to parse .hex file: Bad access at 0xFF000/);
  });

  test('a page with a bad CRC is not a page: the probe messages of nrfutil, exit 2', () => {
    const dir = tempDirWith('app_nrf52.hex');
    expect(runCli([...base, '--no-backup', 'settings.hex'], { cwd: dir }).status).toBe(0);
    const file = path.join(dir, 'settings.hex');
    const lines = fs.readFileSync(file, 'latin1').split('\n');
    // second data record: change one data byte and fix the record checksum
    const rec = Buffer.from(lines[2].slice(1), 'hex');
    rec[5] ^= 0x01;
    rec[rec.length - 1] = (0x100 - (rec.subarray(0, -1).reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
    lines[2] = ':' + rec.toString('hex').toUpperCase();
    fs.writeFileSync(file, lines.join('\n'));
    const res = runCli(['settings', 'display', 'settings.hex'], { cwd: dir });
    expectOneLineError(res, 2, /Failed to parse \.hex file: Bad access at 0xFF000/);
    expect(res.stdout).toMatch(/^CRC32 mismtach: flash: 0x[0-9a-f]+ calculated: 0x[0-9a-f]+\n$/);
  });

  test('a missing file is a usage error naming it', () => {
    const dir = tempDirWith();
    expectOneLineError(runCli(['settings', 'display', 'none.hex'], { cwd: dir }), 2, /none\.hex/);
  });
});
