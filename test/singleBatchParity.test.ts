import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { runCli, tempDirWith } from './helpers/cli';

/**
 * Issue 13: one device and N devices run the same code, so each bad input gives the same
 * message and exit code whether a run makes one package or a batch. Each row runs the
 * input once single (`--key-dir keys --device D OUT.zip`) and once as a batch
 * (`--devices FILE --key-dir keys --out-dir DIR`), for pkg generate and for pkg sign.
 *
 * How the batch says it: `usage` and `input` errors are the same one stderr line before
 * any output (exit 2 and 1); a `device` error is the single run's message on that
 * device's report line (exit 1), the other devices written; `warning` is the same
 * warning on stderr with every package written (exit 0).
 */
type Outcome = 'usage' | 'input' | 'device' | 'warning';
interface BadInput {
  name: string;
  /** Which commands the row runs. */
  commands: ('generate' | 'sign')[];
  /** pkg generate's options after the firmware (default --sd-req 0xCA). */
  generate?: string[];
  /** The package pkg sign reads (default good.zip, signed by key_a). */
  signInput?: string;
  /** The device the single run names; it is in the batch's list. */
  device: string;
  devicesFile: string;
  keyOptions?: string[];
  outcome: Outcome;
  message: RegExp;
}

const FIRMWARE = ['--hw-version', '52', '--application', 'app_nrf52.hex', '--application-version', '1'];
const SD_REQ = ['--sd-req', '0xCA'];
const KEY_DIR = ['--key-dir', 'keys'];
const forty = Array.from({ length: 40 }, (_, i) => `dev-${String(i + 1).padStart(2, '0')}`);

const ROWS: BadInput[] = [
  {
    name: "--sd-req 1,2,3,4,5 for a bootloader that holds 4 (the issue's first example)",
    commands: ['generate'],
    generate: ['--sd-req', '1,2,3,4,5', '--max-sd-req', '4'],
    device: 'd2',
    devicesFile: 'three.txt',
    outcome: 'warning',
    message: /^Warning: app_nrf52\.dat will have 5 sd_req entries, the bootloader accepts at most 4; the nRF5 bootloader will reject this package\.\n$/,
  },
  {
    name: 'a device without a key, in a batch of 3',
    commands: ['generate', 'sign'],
    device: 'nokey',
    devicesFile: 'with-nokey.txt',
    outcome: 'device',
    message: /^No key for device nokey: keys[/\\]nokey\.pem does not exist$/,
  },
  {
    name: 'a device without a key, in a batch of 40 (the issue: "File not found" at 30, "No key for device" at 40)',
    commands: ['generate', 'sign'],
    device: 'dev-40',
    devicesFile: 'forty.txt',
    outcome: 'device',
    message: /^No key for device dev-40: keys[/\\]dev-40\.pem does not exist$/,
  },
  {
    name: 'a key file that is not a key',
    commands: ['generate', 'sign'],
    device: 'garbage',
    devicesFile: 'with-garbage.txt',
    outcome: 'device',
    message: /^keys[/\\]garbage\.pem: not a PEM key file/,
  },
  {
    name: 'no --key-dir (the issue: 30 FAILED lines, exit 1, out dir created)',
    commands: ['generate', 'sign'],
    device: 'd1',
    devicesFile: 'three.txt',
    keyOptions: [],
    outcome: 'usage',
    message: /^Error: --device needs --key-dir DIR[^\n]*\n$/,
  },
  {
    name: 'a key directory that does not exist',
    commands: ['generate', 'sign'],
    device: 'd1',
    devicesFile: 'three.txt',
    keyOptions: ['--key-dir', 'no-such-dir'],
    outcome: 'input',
    message: /^Error: Key directory no-such-dir does not exist \(make keys there with 'keys generate --key-dir no-such-dir --device ID', or check the path\)\n$/,
  },
  {
    name: 'an input package that does not exist',
    commands: ['sign'],
    signInput: 'missing.zip',
    device: 'd1',
    devicesFile: 'three.txt',
    outcome: 'usage',
    message: /^Error: Invalid value for 'IN_ZIP': File 'missing\.zip' does not exist\.\n$/,
  },
  {
    name: 'a Zigbee update whose OTA file was changed after its .dat was made',
    commands: ['sign'],
    signInput: 'tampered-zigbee.zip',
    device: 'd1',
    devicesFile: 'three.txt',
    outcome: 'input',
    message: /^Error: tampered-zigbee\.zip is a Zigbee update that pkg sign cannot re-sign: .*\.bin \(the OTA file\) does not match the SHA-256 in .*\.dat: it was changed after the package was made; run 'pkg generate --zigbee True' with the new key instead\n$/,
  },
];

const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
const cli = (args: string[]) => runCli(args, { cwd: dir });
const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);

beforeAll(async () => {
  write('three.txt', 'd1\nd2\nd3\n');
  write('with-nokey.txt', 'd1\nnokey\nd3\n');
  write('with-garbage.txt', 'd1\ngarbage\nd3\n');
  write('forty.txt', forty.join('\n') + '\n');
  write('keyed.txt', ['d1', 'd2', 'd3', ...forty.slice(0, 39)].join('\n') + '\n');
  expect(cli(['keys', 'generate', '--devices', 'keyed.txt', '--key-dir', 'keys']).status).toBe(0);
  write(path.join('keys', 'garbage.pem'), 'not a key\n');
  expect(cli(['pkg', 'generate', ...FIRMWARE, ...SD_REQ, '--key-file', 'key_a.pem', 'good.zip']).status).toBe(0);
  // a Zigbee update whose OTA file's last byte changed
  expect(cli(['pkg', 'generate', ...FIRMWARE, ...SD_REQ, '--key-file', 'key_a.pem', '--zigbee', 'True', 'zigbee.zip']).status).toBe(0);
  const zip = await JSZip.loadAsync(fs.readFileSync(path.join(dir, 'zigbee.zip')));
  const bin = Object.keys(zip.files).find((f) => f.endsWith('.bin'))!;
  const ota = await zip.file(bin)!.async('uint8array');
  ota[ota.length - 8] ^= 1;
  zip.file(bin, ota);
  fs.writeFileSync(path.join(dir, 'tampered-zigbee.zip'), await zip.generateAsync({ type: 'uint8array' }));
}, 60_000);

const commands = (row: BadInput): [string, string[]][] =>
  row.commands.map((command) =>
    command === 'generate' ? ['pkg generate', ['pkg', 'generate', ...FIRMWARE, ...(row.generate ?? SD_REQ)]] : ['pkg sign', ['pkg', 'sign', row.signInput ?? 'good.zip']],
  );

let runs = 0;
describe.each(ROWS.map((row) => [row.name, row] as const))('%s: single and --devices alike', (_, row) => {
  test.each(commands(row))('%s', (__, base) => {
    const n = ++runs;
    const keys = row.keyOptions ?? KEY_DIR;
    const single = cli([...base, ...keys, '--device', row.device, `single-${n}.zip`]);
    const batch = cli([...base, ...keys, '--devices', row.devicesFile, '--out-dir', `batch-${n}`]);
    const batchDir = path.join(dir, `batch-${n}`);
    const devices = fs.readFileSync(path.join(dir, row.devicesFile), 'utf8').split('\n').filter(Boolean);
    switch (row.outcome) {
      case 'warning':
        expect(single).toMatchObject({ status: 0, stderr: expect.stringMatching(row.message) });
        expect(batch).toMatchObject({ status: 0, stderr: single.stderr, stdout: `${devices.length} of ${devices.length} packages written to batch-${n}\n` });
        break;
      case 'usage':
      case 'input':
        expect(single).toMatchObject({ status: row.outcome === 'usage' ? 2 : 1, stdout: '', stderr: expect.stringMatching(row.message) });
        expect(batch).toMatchObject({ status: single.status, stdout: '', stderr: single.stderr });
        expect(fs.existsSync(batchDir)).toBe(false);
        break;
      case 'device': {
        expect(single).toMatchObject({ status: 1, stdout: '' });
        expect(single.stderr).toMatch(/^Error: [^\n]*\n$/);
        const message = single.stderr.slice('Error: '.length, -1);
        expect(message).toMatch(row.message);
        expect(batch).toMatchObject({ status: 1, stderr: '' });
        expect(batch.stdout).toBe(`${devices.length - 1} of ${devices.length} packages written to batch-${n}\n${row.device}: FAILED: ${message}\n`);
        expect(fs.readdirSync(batchDir).sort()).toEqual(devices.filter((d) => d !== row.device).map((d) => `${d}.zip`).sort());
        break;
      }
    }
    expect(fs.existsSync(path.join(dir, `single-${n}.zip`))).toBe(row.outcome === 'warning');
  });
});
