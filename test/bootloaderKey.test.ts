import fs from 'node:fs';
import path from 'node:path';
import { findEmbeddedPublicKeys, keyFingerprint } from '../src/core/bootloaderKey';
import { loadFirmwareImage } from '../src/core/firmwareImage';
import { toLittleEndianHalves } from '../src/core/signature';
import { input, runCli, tempDirWith } from './helpers/cli';

const dir = tempDirWith('bl_nrf52.hex', 'app_nrf52.hex', 'debug_key.pem');
const at = (f: string) => path.join(dir, f);
const cli = (args: string[]) => runCli(args, { cwd: dir });
const blBin = loadFirmwareImage('bl_nrf52.hex', input('bl_nrf52.hex')).bin;
const KEY_OFFSET = 0x1234; // deliberately not word-aligned

/** The public key `keys display --format hex` prints is the bootloader's layout (x, y each little-endian). */
const bootloaderLayout = (keyFile: string) => Buffer.from(cli(['keys', 'display', '--key', 'pk', '--format', 'hex', keyFile]).stdout.trim().split('\n').pop()!, 'hex');
const publicKey = (keyFile: string) => toLittleEndianHalves(bootloaderLayout(keyFile));

/** A bootloader built with `keyFile`'s dfu_public_key.c, as a .bin. */
function bootloaderTrusting(keyFile: string, out: string): void {
  const bl = Uint8Array.from(blBin);
  bl.set(bootloaderLayout(keyFile), KEY_OFFSET);
  fs.writeFileSync(at(out), bl);
}

const BL = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--bootloader-version', '3'];

beforeAll(() => {
  fs.mkdirSync(at('old'));
  fs.mkdirSync(at('new'));
  for (const d of ['dev-1', 'dev-2']) {
    expect(cli(['keys', 'generate', '--key-dir', 'old', '--device', d]).status).toBe(0);
    expect(cli(['keys', 'generate', '--key-dir', 'new', '--device', d]).status).toBe(0);
  }
  fs.writeFileSync(at('new-dev-1.pub'), cli(['keys', 'display', '--key', 'pk', '--format', 'pem', '--key-dir', 'new', '--device', 'dev-1']).stdout);
  fs.writeFileSync(at('new-dev-2.pub'), cli(['keys', 'display', '--key', 'pk', '--format', 'pem', '--key-dir', 'new', '--device', 'dev-2']).stdout);
  bootloaderTrusting('new/dev-1.pem', 'bl-new-dev-1.bin');
  bootloaderTrusting('old/dev-1.pem', 'bl-old-dev-1.bin');
  bootloaderTrusting('debug_key.pem', 'bl-debug.bin');
  expect(cli([...BL, '--bootloader', 'bl-new-dev-1.bin', 'rotate-unsigned.zip']).status).toBe(0);
});

describe('the public key a bootloader trusts', () => {
  test('found at its offset in the image (x and y reversed, as dfu_public_key.c lays them out); none in a bootloader without one', () => {
    const bl = fs.readFileSync(at('bl-new-dev-1.bin'));
    const found = findEmbeddedPublicKeys(bl);
    expect(found).toHaveLength(1);
    expect(found[0].offset).toBe(KEY_OFFSET);
    expect(Buffer.from(found[0].publicKey)).toEqual(Buffer.from(publicKey('new/dev-1.pem')));
    expect(findEmbeddedPublicKeys(blBin)).toEqual([]);
  });

  test('pkg sign with the old key reports the new key (fingerprint, device), and --expect-bootloader-key accepts it', () => {
    const fp = keyFingerprint(publicKey('new/dev-1.pem')).slice(0, 16);
    const res = cli(['pkg', 'sign', 'rotate-unsigned.zip', '--key-dir', 'old', '--device', 'dev-1', '--expect-bootloader-key', 'new-dev-1.pub', 'rotate.zip']);
    expect(res).toMatchObject({ status: 0, stderr: '', stdout: `Bootloader key (bl-new-dev-1.bin): SHA-256 ${fp}…\nZip created at rotate.zip\n` });
    // with the new key directory named, the key is recognised as dev-1's
    const verify = cli(['pkg', 'verify', 'rotate.zip', '--key-dir', 'old', '--device', 'dev-1', '--json']);
    expect(verify.status).toBe(0);
    expect(JSON.parse(verify.stdout).bootloaderKeys).toEqual([
      { image: 'bl-new-dev-1.bin', publicKey: Buffer.from(publicKey('new/dev-1.pem')).toString('hex'), fingerprint: keyFingerprint(publicKey('new/dev-1.pem')), debugKey: false, sameAsSigningKey: false, warnings: [] },
    ]);
    const json = cli(['pkg', 'sign', 'rotate-unsigned.zip', '--key-dir', 'old', '--device', 'dev-1', '--json', 'rotate-json.zip']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ package: 'rotate-json.zip', key: path.join('old', 'dev-1.pem'), bootloaderKeys: JSON.parse(verify.stdout).bootloaderKeys });
    const inNewDir = cli(['pkg', 'sign', 'rotate-unsigned.zip', '--key-dir', 'new', '--device', 'dev-1', 'same.zip']);
    expect(inNewDir.stdout).toBe(`Bootloader key (bl-new-dev-1.bin): SHA-256 ${fp}…, device dev-1\nZip created at same.zip\n`);
    expect(inNewDir.stderr).toBe('Warning: the bootloader in bl-new-dev-1.bin trusts the same key that signs this package: a key rotation that rotates nothing\n');
  });

  test('--expect-bootloader-key with another key is an error before anything is written (pkg sign, pkg generate), exit 1 in pkg verify', () => {
    const res = cli(['pkg', 'sign', 'rotate-unsigned.zip', '--key-dir', 'old', '--device', 'dev-2', '--expect-bootloader-key', 'new-dev-2.pub', 'wrong.zip']);
    expect(res.status).toBe(1);
    const trusted = keyFingerprint(publicKey('new/dev-1.pem')).slice(0, 16);
    const expected = keyFingerprint(publicKey('new/dev-2.pem')).slice(0, 16);
    expect(res.stderr).toBe(`Error: the bootloader in bl-new-dev-1.bin trusts key ${trusted}…, not the --expect-bootloader-key key ${expected}…; nothing written\n`);
    expect(fs.existsSync(at('wrong.zip'))).toBe(false);
    const gen = cli([...BL, '--bootloader', 'bl-new-dev-1.bin', '--key-dir', 'old', '--device', 'dev-2', '--expect-bootloader-key', 'new-dev-2.pub', 'wrong.zip']);
    expect(gen.status).toBe(1);
    expect(gen.stderr).toContain(`Error: the bootloader in bl-new-dev-1.bin trusts key ${trusted}…, not the --expect-bootloader-key key ${expected}…; nothing written\n`);
    expect(fs.existsSync(at('wrong.zip'))).toBe(false);
    expect(cli(['pkg', 'verify', 'same.zip', '--key-dir', 'new', '--device', 'dev-1', '--expect-bootloader-key', 'new-dev-2.pub']).status).toBe(1);
    // two-phase signing checks before it writes the unsigned package and request, too
    for (const args of [
      ['pkg', 'sign', 'rotate-unsigned.zip', '--public-key', 'new-dev-2.pub', '--expect-bootloader-key', 'new-dev-2.pub', '--signing-request', 'wrong.json', 'wrong.zip'],
      [...BL, '--bootloader', 'bl-new-dev-1.bin', '--expect-bootloader-key', 'new-dev-2.pub', '--signing-request', 'wrong.json', 'wrong.zip'],
    ]) {
      const twoPhase = cli(args);
      expect(twoPhase.status).toBe(1);
      expect(twoPhase.stderr).toContain(`Error: the bootloader in bl-new-dev-1.bin trusts key ${trusted}…, not the --expect-bootloader-key key ${expected}…; nothing written\n`);
      expect(fs.existsSync(at('wrong.zip')) || fs.existsSync(at('wrong.json'))).toBe(false);
    }
  });

  test('warnings: no key in the bootloader, the SDK debug key; pkg generate reports on stderr only', () => {
    const none = cli([...BL, '--bootloader', 'bl_nrf52.hex', '--key-dir', 'old', '--device', 'dev-1', 'none.zip']);
    expect(none.status).toBe(0);
    expect(none.stdout).toBe('Zip created at none.zip\n');
    expect(none.stderr).toBe(''); // pkg generate stays as quiet as nrfutil; pkg sign and pkg verify say it
    const signNone = cli(['pkg', 'sign', 'none.zip', '--key-dir', 'old', '--device', 'dev-2', 'none2.zip']);
    expect(signNone.stdout).toBe('Bootloader key (bl_nrf52.bin): none found\nZip created at none2.zip\n');
    expect(signNone.stderr).toBe('Warning: the bootloader in bl_nrf52.bin carries no P-256 public key (no dfu_public_key.c key found): it will not accept signed updates as expected\n');
    const debug = cli([...BL, '--bootloader', 'bl-debug.bin', '--key-dir', 'old', '--device', 'dev-1', 'debug.zip']);
    expect(debug.stderr).toMatch(/^Bootloader key \(bl-debug\.bin\): SHA-256 [0-9a-f]{16}…, the SDK debug key\nWarning: the bootloader in bl-debug\.bin trusts the nRF5 SDK's debug key, which everyone has\n$/);
    const app = cli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--key-dir', 'old', '--device', 'dev-1', '--expect-bootloader-key', 'new-dev-1.pub', 'app.zip']);
    expect(app).toMatchObject({ status: 2, stderr: 'Error: --expect-bootloader-key was given, but the package carries no bootloader\n' });
  });
});

describe('key rotation for a fleet: {device} in input paths, --expect-bootloader-key-dir', () => {
  test('each device gets its own bootloader, signed with its old key and checked for its new key; a wrong build fails only its device', async () => {
    for (const d of ['dev-3']) {
      expect(cli(['keys', 'generate', '--key-dir', 'old', '--device', d]).status).toBe(0);
      expect(cli(['keys', 'generate', '--key-dir', 'new', '--device', d]).status).toBe(0);
    }
    fs.writeFileSync(at('devs.txt'), 'dev-1\ndev-2\ndev-3\n');
    expect(cli(['keys', 'display', '--key', 'pk', '--format', 'pem', '--devices', 'devs.txt', '--key-dir', 'new', '--out-dir', 'pub']).status).toBe(0);
    for (const d of ['dev-1', 'dev-2', 'dev-3']) {
      fs.mkdirSync(at(`build/${d}`), { recursive: true });
      bootloaderTrusting(d === 'dev-3' ? 'new/dev-1.pem' : `new/${d}.pem`, `build/${d}/bl.bin`); // dev-3's build picked up the wrong dfu_public_key.c
    }
    const res = cli([...BL, '--bootloader', 'build/{device}/bl.bin', '--devices', 'devs.txt', '--key-dir', 'old', '--out-dir', 'out', '--expect-bootloader-key-dir', 'pub']);
    expect(res.status).toBe(1);
    const trusted = keyFingerprint(publicKey('new/dev-1.pem')).slice(0, 16);
    const expected = keyFingerprint(publicKey('new/dev-3.pem')).slice(0, 16);
    expect(res.stdout).toBe(`2 of 3 packages written to out\ndev-3: FAILED: the bootloader in bl.bin trusts key ${trusted}…, not the --expect-bootloader-key key ${expected}…; nothing written\n`);
    expect(fs.readdirSync(at('out')).sort()).toEqual(['dev-1.zip', 'dev-2.zip']);
    for (const d of ['dev-1', 'dev-2']) {
      const v = cli(['pkg', 'verify', `out/${d}.zip`, '--key-dir', 'old', '--device', d, '--expect-bootloader-key', `pub/public_key_${d}.pem`, '--json']);
      expect(v.status).toBe(0);
      expect(JSON.parse(v.stdout).bootloaderKeys[0].fingerprint).toBe(keyFingerprint(publicKey(`new/${d}.pem`)));
      // byte for byte the package of a single run with that device's files
      expect(cli([...BL, '--bootloader', `build/${d}/bl.bin`, '--key-dir', 'old', '--device', d, `single-${d}.zip`]).status).toBe(0);
      expect(fs.readFileSync(at(`out/${d}.zip`))).toEqual(fs.readFileSync(at(`single-${d}.zip`)));
    }
    // pkg sign takes {device} in its input path too
    fs.writeFileSync(at('two.txt'), 'dev-1\ndev-2\nmissing\n');
    const resigned = cli(['pkg', 'sign', 'out/{device}.zip', '--devices', 'two.txt', '--key-dir', 'old', '--out-dir', 'again', '--expect-bootloader-key-dir', 'pub']);
    expect(resigned.status).toBe(1);
    expect(resigned.stdout).toBe(`2 of 3 packages written to again\nmissing: FAILED: Invalid value for 'IN_ZIP': File 'out/missing.zip' does not exist.\n`);
    for (const d of ['dev-1', 'dev-2']) expect(fs.readFileSync(at(`again/${d}.zip`))).toEqual(fs.readFileSync(at(`out/${d}.zip`)));
  });
});
