import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { pemKey } from '../src/core/libraryKeys';
import { resignPackage } from '../src/core/resignPackage';
import { createSigningRequest } from '../src/core/twoPhaseSigning';
import { encodeZigbeeOtaFile, parseZigbeeOtaFile } from '../src/core/zigbeeOta';
import { runCli, tempDirWith } from './helpers/cli';

/**
 * `pkg sign` of a Zigbee update (`pkg generate --zigbee True`): the application's init
 * packet inside the OTA file is re-signed, the OTA file rebuilt and the outer package
 * signed, giving what `pkg generate --zigbee True` writes with the new key.
 */
const GEN = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', '../app_nrf52.hex', '--application-version', '0x01020101'];
const ZIGBEE = ['--zigbee', 'True', '--zigbee-manufacturer-id', '0x1234', '--zigbee-image-type', '0x0141', '--zigbee-comment', 'good-image', '--zigbee-ota-hw-version', '52'];
const OTA = '1234-0141-01020101-good-image';
// each case: extra generate options; ECDSA boot validation needs a key, so that input starts signed by key_a
const CASES: [string, string[]][] = [
  ['the recorded options', []],
  ['min/max hardware versions, OTA firmware version', ['--zigbee-ota-min-hw-version', '40', '--zigbee-ota-max-hw-version', '60', '--zigbee-ota-fw-version', '7']],
  ['ECDSA boot validation of the application (inside and outside), debug mode', ['--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', '--debug-mode']],
];
// 30 ASCII bytes, then 'ü' (2 bytes): the header keeps 31 bytes, half of the 'ü'
const LONG_COMMENT = `${'long-comment-'.repeat(2)}abcdüber`;

const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
const at = (...p: string[]) => path.join(dir, ...p);
const read = (...p: string[]) => fs.readFileSync(at(...p));
const cli = (args: string[], cwd = dir) => runCli(args, { cwd });
/** Runs pkg generate in its own folder (it writes the .zigbee file into the current directory). */
function generate(folder: string, args: string[]): void {
  fs.mkdirSync(at(folder), { recursive: true });
  const res = cli([...GEN, ...args], at(folder));
  expect(res.status).toBe(0);
}
const zigbeeFileIn = (folder: string) => fs.readdirSync(at(folder)).find((f) => f.endsWith('.zigbee'))!;

beforeAll(() => {
  expect(cli(['keys', 'generate', 'key_b.pem']).status).toBe(0);
  expect(cli(['keys', 'display', '--key', 'pk', '--format', 'pem', '--out_file', 'pub_b.pem', 'key_b.pem']).status).toBe(0);
  fs.mkdirSync(at('keys'));
  fs.writeFileSync(at('devices.txt'), 'dev-1\ndev-2\ndev-3\n');
  expect(cli(['keys', 'generate', '--devices', 'devices.txt', '--key-dir', 'keys']).status).toBe(0);
  generate('a', [...ZIGBEE, '--key-file', '../key_a.pem', 'a.zip']);
  generate('b', [...ZIGBEE, '--key-file', '../key_b.pem', 'b.zip']);
});

describe('pkg sign of a Zigbee update equals pkg generate --zigbee True with the new key', () => {
  test.each(CASES)('%s: unsigned or signed by another key, zip and OTA file', (name, extra) => {
    const tag = name.replace(/\W+/g, '_');
    const ecdsa = extra.some((e) => e.includes('ECDSA'));
    const inputs: [string, string[]][] = [['signed by key_a', ['--key-file', '../key_a.pem']]];
    if (!ecdsa) inputs.push(['unsigned', []]);
    generate(`${tag}-expected`, [...ZIGBEE, ...extra, '--key-file', '../key_b.pem', 'z.zip']);
    const otaName = zigbeeFileIn(`${tag}-expected`);
    for (const [from, key] of inputs) {
      const folder = `${tag}-${from.replace(/\W+/g, '_')}`;
      generate(folder, [...ZIGBEE, ...extra, ...key, 'z.zip']);
      fs.mkdirSync(at(folder, 'out'));
      const res = cli(['pkg', 'sign', path.join(folder, 'z.zip'), '--key-file', 'key_b.pem', path.join(folder, 'out', 'z.zip')]);
      expect(res).toMatchObject({
        status: 0,
        stdout: `Zigbee update created at ${path.join(folder, 'out', otaName)}\nZip created at ${path.join(folder, 'out', 'z.zip')}\n`,
        stderr: '',
      });
      expect(read(folder, 'out', 'z.zip')).toEqual(read(`${tag}-expected`, 'z.zip'));
      expect(read(folder, 'out', otaName)).toEqual(read(`${tag}-expected`, otaName));
    }
  });

  test('a header comment longer than 31 bytes, cut in the middle of a character, comes out the same', () => {
    const comment = ['--zigbee', 'True', '--zigbee-comment', LONG_COMMENT];
    generate('long-in', [...comment, 'z.zip']);
    generate('long-expected', [...comment, '--key-file', '../key_b.pem', 'z.zip']);
    fs.mkdirSync(at('long-out'));
    const res = cli(['pkg', 'sign', 'long-in/z.zip', '--key-file', 'key_b.pem', 'long-out/z.zip']);
    expect(res.status).toBe(0);
    expect(read('long-out', 'z.zip')).toEqual(read('long-expected', 'z.zip'));
    expect(read('long-out', `FFFF-FFFF-01020101-${LONG_COMMENT}.zigbee`)).toEqual(read('long-expected', `FFFF-FFFF-01020101-${LONG_COMMENT}.zigbee`));
  });

  test('resignPackage (core) gives the same bytes', async () => {
    const zip = await resignPackage(read('a', 'a.zip'), pemKey(fs.readFileSync(at('key_b.pem'), 'utf8')), 'a.zip');
    expect(Buffer.from(zip)).toEqual(read('b', 'b.zip'));
  });

  test('--json names the OTA file too', () => {
    fs.mkdirSync(at('json'));
    const res = cli(['pkg', 'sign', 'a/a.zip', '--key-file', 'key_b.pem', '--json', 'json/z.zip']);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ package: 'json/z.zip', zigbeeOtaFile: path.join('json', `${OTA}.zigbee`) });
  });
});

describe('an OTA file without Nordic\'s DFU trigger is firmware like any other', () => {
  test('pkg sign re-signs it as any external application, and pkg verify accepts it', async () => {
    const ota = parseZigbeeOtaFile(await (await JSZip.loadAsync(read('a', 'a.zip'))).file(`${OTA}.bin`)!.async('uint8array')).otaFile.slice();
    ota.set([0x00, 0x00], 56); // the first sub-element: an upgrade image, not the trigger
    fs.writeFileSync(at('plain-ota.bin'), ota);
    const external = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xFFFE', '--application', 'plain-ota.bin', '--application-version', '0', '--external-app'];
    expect(cli([...external, 'plain-in.zip']).status).toBe(0);
    expect(cli([...external, '--key-file', 'key_b.pem', 'plain-expected.zip']).status).toBe(0);
    expect(cli(['pkg', 'sign', 'plain-in.zip', '--key-file', 'key_b.pem', 'plain-out.zip'])).toMatchObject({ status: 0, stdout: 'Zip created at plain-out.zip\n' });
    expect(read('plain-out.zip')).toEqual(read('plain-expected.zip'));
    expect(cli(['pkg', 'verify', 'plain-out.zip', '--key-file', 'key_b.pem']).status).toBe(0);
  });
});

describe('pkg verify of a re-signed Zigbee update', () => {
  beforeAll(() => {
    fs.mkdirSync(at('v'));
    expect(cli(['pkg', 'sign', 'a/a.zip', '--key-file', 'key_b.pem', 'v/z.zip']).status).toBe(0);
  });

  test('accepts it with the new key', () => {
    expect(cli(['pkg', 'verify', 'v/z.zip', '--key-file', 'key_b.pem'])).toMatchObject({ status: 0, stdout: expect.stringContaining('v/z.zip: the bootloader would accept this package\n') });
  });

  test('refuses it with another key, for the init packet outside and the one inside the OTA file', () => {
    const res = cli(['pkg', 'verify', 'v/z.zip', '--key-file', 'key_a.pem']);
    expect(res.status).toBe(1);
    expect(res.stdout).toContain(`${OTA}.dat is signed by another key`);
    expect(res.stdout).toContain(`the init packet inside ${OTA}.bin (the OTA file) is signed by another key`);
  });

  test('refuses a package whose outer init packet was re-signed but not the one inside', async () => {
    // key_b's outer .dat over key_a's OTA file: the outer signature holds, the inner one does not
    const outer = await JSZip.loadAsync(read('b', 'b.zip'));
    const inner = await JSZip.loadAsync(read('a', 'a.zip'));
    expect(await inner.file(`${OTA}.bin`)!.async('uint8array')).not.toEqual(await outer.file(`${OTA}.bin`)!.async('uint8array'));
    // pkg generate --external-app of key_a's OTA file, signed with key_b: what a re-signer that skips the inside would write
    fs.writeFileSync(at('a-ota.bin'), await inner.file(`${OTA}.bin`)!.async('uint8array'));
    expect(cli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xFFFE', '--application', 'a-ota.bin', '--application-version', '0', '--external-app', '--key-file', 'key_b.pem', 'half.zip']).status).toBe(0);
    const res = cli(['pkg', 'verify', 'half.zip', '--key-file', 'key_b.pem']);
    expect(res.status).toBe(1);
    expect(res.stdout).toContain('a-ota.bin: REJECTED: the init packet inside a-ota.bin (the OTA file) is signed by another key');
  });
});

describe('pkg sign --devices with a Zigbee update', () => {
  test('each device gets what pkg generate --zigbee True writes with its key; it verifies with its own key and not a neighbour’s', () => {
    const res = cli(['pkg', 'sign', 'a/a.zip', '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'fleet']);
    expect(res).toMatchObject({ status: 0, stdout: expect.stringContaining('3 of 3 packages written to fleet\n') });
    const devices = ['dev-1', 'dev-2', 'dev-3'];
    devices.forEach((device, i) => {
      generate(`gen-${device}`, [...ZIGBEE, '--key-dir', '../keys', '--device', device, 'z.zip']);
      expect(read('fleet', `${device}.zip`)).toEqual(read(`gen-${device}`, 'z.zip'));
      expect(cli(['pkg', 'verify', `fleet/${device}.zip`, '--key-dir', 'keys', '--device', device]).status).toBe(0);
      expect(cli(['pkg', 'verify', `fleet/${device}.zip`, '--key-dir', 'keys', '--device', devices[(i + 1) % 3]]).status).toBe(1);
    });
  });
});

describe('pkg sign refuses a Zigbee update it cannot reproduce, saying why; nothing written', () => {
  beforeAll(() => fs.mkdirSync(at('refused')));
  /** An OTA file wrapped as pkg generate --external-app wraps any firmware: the outer hash matches it. */
  function wrapped(name: string, ota: Uint8Array): string {
    fs.writeFileSync(at(`${name}.bin`), ota);
    expect(cli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xFFFE', '--application', `${name}.bin`, '--application-version', '0', '--external-app', '--key-file', 'key_a.pem', `${name}.zip`]).status).toBe(0);
    return `${name}.zip`;
  }
  const otaOf = async (folder: string, zip: string) => (await JSZip.loadAsync(read(folder, zip))).file(`${OTA}.bin`)!.async('uint8array');
  const refused = (zip: string, reason: string | RegExp) => {
    const res = cli(['pkg', 'sign', zip, '--key-file', 'key_b.pem', 'refused/o.zip']);
    expect(res).toMatchObject({ status: 1, stdout: '' });
    const prefix = `Error: ${zip} is a Zigbee update that pkg sign cannot re-sign: `;
    const suffix = "; run 'pkg generate --zigbee True' with the new key instead\n";
    expect(res.stderr.startsWith(prefix) && res.stderr.endsWith(suffix)).toBe(true);
    const found = res.stderr.slice(prefix.length, -suffix.length);
    if (typeof reason === 'string') expect(found).toBe(reason);
    else expect(found).toMatch(reason);
    expect(fs.readdirSync(at('refused'))).toEqual([]);
  };

  test('the OTA file holds another init packet than the one the zip\'s .dat was made for', async () => {
    // key_b's inner init packet (same length) put in key_a's OTA file; key_a's .dat kept
    const ota = await otaOf('a', 'a.zip');
    const other = parseZigbeeOtaFile(await otaOf('b', 'b.zip')).initPacket;
    const at0 = Buffer.from(ota).indexOf(Buffer.from(parseZigbeeOtaFile(ota).initPacket));
    ota.set(other, at0);
    const zip = await JSZip.loadAsync(read('a', 'a.zip'));
    zip.file(`${OTA}.bin`, ota);
    fs.writeFileSync(at('swapped.zip'), await zip.generateAsync({ type: 'uint8array' }));
    refused('swapped.zip', `${OTA}.bin (the OTA file) does not match the SHA-256 in ${OTA}.dat: it was changed after the package was made`);
  });

  test('the OTA file\'s trigger does not match the init packet inside', async () => {
    const ota = await otaOf('a', 'a.zip');
    const { initPacket } = parseZigbeeOtaFile(ota);
    ota[Buffer.from(ota).indexOf(Buffer.from(initPacket)) + 10] ^= 1;
    refused(wrapped('trigger', ota), /^trigger\.bin \(the OTA file\): its trigger's init packet CRC-32 is 0x[0-9A-F]{8}, the init packet inside gives 0x[0-9A-F]{8} \(changed after it was made\)$/);
  });

  test('the init packet inside does not match the firmware beside it', async () => {
    const { layout, initPacket, firmware } = parseZigbeeOtaFile(await otaOf('a', 'a.zip'));
    // one firmware byte changed and the trigger made to match: only the init packet's hash tells
    const changed = Uint8Array.from(firmware);
    changed[0] ^= 1;
    refused(wrapped('mismatch', encodeZigbeeOtaFile(layout, initPacket, changed)), 'the init packet inside mismatch.bin (the OTA file) does not match the firmware beside it (SHA-256): one of them was changed after it was made');
  });

  test('two-phase signing in the library (createSigningRequest), with the reason', async () => {
    await expect(createSigningRequest(read('a', 'a.zip'), undefined, 'a.zip')).rejects.toThrow(/^a\.zip is a Zigbee update: two-phase signing .* does not support it/);
  });

  test('two-phase signing, with the reason', () => {
    for (const args of [
      ['a/a.zip', '--signing-request', 'refused/r.json', 'refused/o.zip'],
      ['a/a.zip', '--signatures', 'sigs.json', '--public-key', 'pub_b.pem', 'refused/o.zip'],
    ]) {
      fs.writeFileSync(at('sigs.json'), '{"signatures": {}}');
      const res = cli(['pkg', 'sign', ...args]);
      expect(res).toMatchObject({ status: 1, stdout: '' });
      expect(res.stderr).toMatch(/^Error: a\/a\.zip is a Zigbee update: two-phase signing \(--signing-request, --signatures\) does not support it, because the outer init packet signs the OTA file, which holds the inner init packet's signature; sign it with pkg sign/);
      expect(fs.readdirSync(at('refused'))).toEqual([]);
    }
  });
});
