import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDirWith } from './helpers/cli';

const generate = (images: string[], out = 'out.zip', extra: string[] = []) => [
  'pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application-version', '1', ...images, ...extra, out,
];
const files = (dir: string) => fs.readdirSync(dir).sort();

describe('no silent damage: what would lose data is refused, and nothing is written', () => {
  test.each([
    ['an Intel HEX input without an extension', (dir: string) => fs.copyFileSync(path.join(dir, 'app_nrf52.hex'), path.join(dir, 'fw')), ['--application', 'fw'], "Package member 'fw' would hold both the application firmware and the application init packet"],
    ['an input named manifest.json', (dir: string) => fs.copyFileSync(path.join(dir, 'app_nrf52.hex'), path.join(dir, 'manifest.json')), ['--application', 'manifest.json'], "Package member 'manifest.json' would hold both the manifest and the application firmware"],
    [
      'a SoftDevice and an application with one base name',
      (dir: string) => {
        fs.mkdirSync(path.join(dir, 'a'));
        fs.mkdirSync(path.join(dir, 'b'));
        fs.copyFileSync(path.join(dir, 'sd_s132.hex'), path.join(dir, 'a', 'fw.hex'));
        fs.copyFileSync(path.join(dir, 'app_nrf52.hex'), path.join(dir, 'b', 'fw.hex'));
      },
      ['--softdevice', 'a/fw.hex', '--application', 'b/fw.hex', '--sd-id', '0xCA'],
      "Package member 'fw.bin' would hold both the softdevice firmware and the application firmware",
    ],
  ])('%s', (_, setup, images, message) => {
    const dir = tempDirWith('app_nrf52.hex', 'sd_s132.hex', 'key_a.pem');
    setup(dir);
    const before = files(dir);
    const res = runCli(generate([...images, '--key-file', 'key_a.pem']), { cwd: dir });
    expect(res.status).toBe(2);
    expect(res.stderr).toBe(`Error: ${message}: give firmware files distinct names ending in .hex or .bin\n`);
    expect(files(dir)).toEqual(before);
  });

  test('--dat-only with a name template that would overwrite the shared firmware', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'keys', 'app_nrf52.pem'));
    fs.writeFileSync(path.join(dir, 'devices.txt'), 'app_nrf52\n');
    const res = runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application-version', '1', '--application', 'app_nrf52.hex', '--devices', 'devices.txt', '--key-dir', 'keys', '--dat-only', '--name-template', '{device}.bin', '--out-dir', 'out'], { cwd: dir });
    expect(res.status).toBe(2);
    expect(res.stderr).toBe("Error: Invalid value for '--name-template': '{device}.bin' names device app_nrf52's init packet app_nrf52.bin, the shared firmware file\n");
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('a Zigbee run whose zip cannot be written keeps the existing .zigbee file as it was', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    const zigbeeArgs = ['--application', 'app_nrf52.hex', '--key-file', 'key_a.pem', '--zigbee', 'True', '--zigbee-manufacturer-id', '0x1234', '--zigbee-image-type', '0x0141', '--zigbee-comment', 'x', '--zigbee-ota-hw-version', '52'];
    const ok = runCli(generate(zigbeeArgs, 'zb.zip'), { cwd: dir });
    expect(ok.status).toBe(0);
    const ota = files(dir).find((f) => f.endsWith('.zigbee'))!;
    fs.writeFileSync(path.join(dir, ota), 'the previous OTA file');
    fs.mkdirSync(path.join(dir, 'taken.zip')); // the zip's name is a directory: its rename fails
    const res = runCli(generate(zigbeeArgs, 'taken.zip'), { cwd: dir });
    expect(res.status).toBe(1);
    expect(fs.readFileSync(path.join(dir, ota), 'utf8')).toBe('the previous OTA file');
    expect(files(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  test.each([
    ['0xFFFFFF00', /^Error: Invalid value for '--start-address': 0xFFFFFF00 leaves no room for the 804-byte settings page below 4 GiB\n$/],
    ['0', /^Error: The backup page would start at -0x1000, outside the address space .*: give --backup-address or --no-backup\n$/],
  ])('settings generate --start-address %s is refused (no wrap-around)', (address, message) => {
    const dir = tempDirWith();
    const res = runCli(['settings', 'generate', '--family', 'NRF52', '--bootloader-version', '1', '--bl-settings-version', '2', '--start-address', address, 'settings.hex'], { cwd: dir });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(files(dir)).toEqual([]);
  });
});

describe('inputs beyond what a device can hold are refused before they are laid out', () => {
  test('a .bin over 1 MiB', () => {
    const dir = tempDirWith();
    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(1024 * 1024 + 4, 1));
    const res = runCli(generate(['--application', 'big.bin']), { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('Error: big.bin: 1048580 bytes, more than the largest nRF5 flash (1048576 bytes)\n');
  });

  test('a tiny HEX whose two records are 128 MiB apart', () => {
    const dir = tempDirWith();
    const rec = (type: number, offset: number, data: number[]) => {
      const bytes = [data.length, offset >> 8, offset & 0xff, type, ...data];
      const sum = (0x100 - (bytes.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
      return ':' + Buffer.from([...bytes, sum]).toString('hex').toUpperCase();
    };
    const text = [rec(4, 0, [0, 0]), rec(0, 0x1000, [1, 2, 3, 4]), rec(4, 0, [0x08, 0x00]), rec(0, 0, [5, 6, 7, 8]), ':00000001FF', ''].join('\n');
    fs.writeFileSync(path.join(dir, 'sparse.hex'), text);
    const res = runCli(generate(['--application', 'sparse.hex']), { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('Error: sparse.hex: the firmware spans 0x1000..0x8000004 (134213636 bytes), more than the largest nRF5 flash (1048576 bytes)\n');
  });

  test('a 20 MiB HEX file is refused without being read', () => {
    const dir = tempDirWith();
    const fd = fs.openSync(path.join(dir, 'huge.hex'), 'w');
    fs.ftruncateSync(fd, 20 * 1024 * 1024);
    fs.closeSync(fd);
    const res = runCli(generate(['--application', 'huge.hex']), { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('Error: huge.hex: 20971520 bytes, more than any nRF5 firmware file (at most 16777216); is this the right file?\n');
  });
});
