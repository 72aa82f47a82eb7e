import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { runCli, tempDirWith } from './helpers/cli';

const base = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '3', '--key-file', 'key_a.pem'];

function generate(extra: string[], dir = tempDirWith('app_nrf52.hex', 'key_a.pem')) {
  return { dir, res: runCli([...base, ...extra, 'zb.zip'], { cwd: dir }) };
}

const outputsOf = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.zip') || f.endsWith('.zigbee'));

describe('pkg generate --zigbee', () => {
  test('writes the OTA file and an outer package holding it as an external application', async () => {
    const { dir, res } = generate(['--zigbee', 'true', '--zigbee-comment', 'fw', '--zigbee-ota-fw-version', '9']);
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('Zigbee update created at FFFF-FFFF-00000003-fw.zigbee\nZip created at zb.zip\n');
    const ota = fs.readFileSync(path.join(dir, 'FFFF-FFFF-00000003-fw.zigbee'));
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(dir, 'zb.zip')));
    expect(Object.keys(zip.files).sort()).toEqual(['FFFF-FFFF-00000003-fw.bin', 'FFFF-FFFF-00000003-fw.dat', 'manifest.json']);
    const bin = await zip.file('FFFF-FFFF-00000003-fw.bin')!.async('uint8array');
    // the OTA file, padded to a word with 0xFF like any .bin image
    expect(Buffer.from(bin.subarray(0, ota.length))).toEqual(ota);
    expect(bin.length % 4).toBe(0);
    expect(bin.subarray(ota.length).every((b) => b === 0xff)).toBe(true);
  });

  test('--zigbee False ignores the other zigbee options, as nrfutil', () => {
    const { dir, res } = generate(['--zigbee', 'False', '--zigbee-comment', 'ignored']);
    expect(res.status).toBe(0);
    expect(outputsOf(dir)).toEqual(['zb.zip']);
  });

  test.each([
    [['--zigbee', 'maybe'], "'--zigbee'"],
    [['--zigbee', 'True', '--zigbee-manufacturer-id', '0x10000'], "'--zigbee-manufacturer-id'"],
    [['--zigbee', 'True', '--zigbee-image-type', 'abc'], "'--zigbee-image-type'"],
    [['--zigbee', 'True', '--zigbee-ota-min-hw-version', '1'], '--zigbee-ota-max-hw-version'],
    [['--zigbee', 'True', '--zigbee-ota-min-hw-version', '9', '--zigbee-ota-max-hw-version', '2'], '--zigbee-ota-min-hw-version'],
    [['--zigbee', 'True', '--zigbee-comment', '../escape'], "'--zigbee-comment'"],
  ])('bad zigbee option %j is a usage error naming it, and writes nothing', (extra, named) => {
    const { dir, res } = generate(extra);
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain(named);
    expect(outputsOf(dir)).toEqual([]);
  });

  test('a Zigbee update is application-only', () => {
    const dir = tempDirWith('bl_nrf52.hex', 'key_a.pem');
    const res = runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--bootloader', 'bl_nrf52.hex', '--bootloader-version', '1', '--key-file', 'key_a.pem', '--zigbee', 'True', 'zb.zip'], { cwd: dir });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/^Error: --zigbee True .*--application/);
    expect(outputsOf(dir)).toEqual([]);
  });

  test('an output directory that does not exist leaves no OTA file behind', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    const res = runCli([...base, '--zigbee', 'True', 'missing/zb.zip'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(outputsOf(dir)).toEqual([]);
  });

  test('a long comment is kept whole in the file name and cut to 31 bytes in the header, with a warning', () => {
    const comment = 'c'.repeat(35);
    const { dir, res } = generate(['--zigbee', 'True', '--zigbee-comment', comment]);
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/^Warning: --zigbee-comment is longer than 31 bytes/);
    const ota = fs.readFileSync(path.join(dir, `FFFF-FFFF-00000003-${comment}.zigbee`));
    expect(ota[20]).toBe(31);
  });
});
