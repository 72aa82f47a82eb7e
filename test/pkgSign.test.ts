import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { pemKey } from '../src/core/libraryKeys';
import { resignPackage } from '../src/core/resignPackage';
import { DEBUG_KEY_BANNER } from '../src/cli/banners';
import { INPUTS, runCli, tempDirWith } from './helpers/cli';

const GEN = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA'];
/** Each case: the firmware options of one kind of package (ECDSA boot validation needs a key, so those start signed by another key). */
const CASES: [string, string[]][] = [
  ['application', ['--application', 'app_nrf52.hex', '--application-version', '3']],
  ['bootloader', ['--bootloader', 'bl_nrf52.hex', '--bootloader-version', '2']],
  ['SoftDevice', ['--softdevice', 'sd_s132.hex']],
  ['SoftDevice + bootloader', ['--softdevice', 'sd_s132.hex', '--bootloader', 'bl_nrf52.hex', '--bootloader-version', '2', '--sd-id', '0xCB']],
  ['SD+BL+application, ECDSA boot validation of SoftDevice and application', ['--softdevice', 'sd_s1x0.hex', '--bootloader', 'bl_nrf52.hex', '--bootloader-version', '2', '--application', 'app_nrf52.hex', '--application-version', '4', '--sd-id', '0xCB', '--sd-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256']],
  ['application, ECDSA boot validation', ['--application', 'app_nrf52.hex', '--application-version', '3', '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', '--debug-mode']],
];

const dir = tempDirWith('app_nrf52.hex', 'bl_nrf52.hex', 'sd_s132.hex', 'sd_s1x0.hex', 'key_a.pem');
const read = (f: string) => fs.readFileSync(path.join(dir, f));
const cli = (args: string[]) => runCli(args, { cwd: dir });

beforeAll(() => {
  expect(cli(['keys', 'generate', 'key_b.pem']).status).toBe(0);
  fs.mkdirSync(path.join(dir, 'keys'));
  expect(cli(['keys', 'generate', '--key-dir', 'keys', '--device', 'dev-7']).status).toBe(0);
});

describe('pkg sign IN OUT equals pkg generate with that key', () => {
  test.each(CASES)('%s', (name, firmware) => {
    const ecdsa = firmware.some((f) => f.includes('ECDSA'));
    const tag = name.replace(/\W+/g, '_');
    // an unsigned package where possible; ECDSA boot validations need a key, so key_a signs those
    const from = cli([...GEN, ...firmware, ...(ecdsa ? ['--key-file', 'key_a.pem'] : []), `${tag}-in.zip`]);
    expect(from.status).toBe(0);
    const expected = cli([...GEN, ...firmware, '--key-file', 'key_b.pem', `${tag}-expected.zip`]);
    expect(expected.status).toBe(0);
    const signed = cli(['pkg', 'sign', `${tag}-in.zip`, '--key-file', 'key_b.pem', `${tag}-signed.zip`]);
    // the test bootloaders have no key compiled in: pkg sign says so
    const bl = firmware.includes('--softdevice') && firmware.includes('--bootloader') ? 'sd_bl.bin' : firmware.includes('--bootloader') ? 'bl_nrf52.bin' : undefined;
    expect(signed).toMatchObject({
      status: 0,
      stdout: `${bl ? `Bootloader key (${bl}): none found\n` : ''}Zip created at ${tag}-signed.zip\n`,
      stderr: bl ? `Warning: the bootloader in ${bl} carries no P-256 public key (no dfu_public_key.c key found): it will not accept signed updates as expected\n` : '',
    });
    expect(read(`${tag}-signed.zip`)).toEqual(read(`${tag}-expected.zip`));
    // and back again, from a package signed by key_b, with a key from a key directory
    const again = cli(['nrf5sdk-tools:pkg:sign', `${tag}-signed.zip`, '--key-dir', 'keys', '--device', 'dev-7', `${tag}-dev.zip`]);
    expect(again.status).toBe(0);
    expect(cli([...GEN, ...firmware, '--key-dir', 'keys', '--device', 'dev-7', `${tag}-dev-expected.zip`]).status).toBe(0);
    expect(read(`${tag}-dev.zip`)).toEqual(read(`${tag}-dev-expected.zip`));
  });

  test('resignPackage (core) gives the same bytes with a PEM key from text', async () => {
    const key = pemKey(fs.readFileSync(path.join(dir, 'key_b.pem'), 'utf8'));
    const zip = await resignPackage(read('application-in.zip'), key, 'application-in.zip');
    expect(Buffer.from(zip)).toEqual(read('application-expected.zip'));
  });

  test('the SDK debug key gets nrfutil\'s insecure-key banner, as in pkg generate', () => {
    fs.copyFileSync(path.join(INPUTS, 'debug_key.pem'), path.join(dir, 'debug_key.pem'));
    const res = cli(['pkg', 'sign', 'application-in.zip', '--key-file', 'debug_key.pem', 'dbg.zip']);
    expect(res).toMatchObject({ status: 0, stdout: `${DEBUG_KEY_BANNER}Zip created at dbg.zip\n` });
  });
});

describe('pkg sign refuses', () => {
  test('a package whose firmware does not match its init packet: checked with the key before writing, nothing written', async () => {
    const zip = await JSZip.loadAsync(read('application-in.zip'));
    const bin = await zip.file('app_nrf52.bin')!.async('uint8array');
    bin[10] ^= 1;
    zip.file('app_nrf52.bin', bin);
    fs.writeFileSync(path.join(dir, 'tampered.zip'), await zip.generateAsync({ type: 'uint8array' }));
    const res = cli(['pkg', 'sign', 'tampered.zip', '--key-file', 'key_b.pem', 'tampered-out.zip']);
    expect(res).toMatchObject({ status: 1, stdout: '' });
    expect(res.stderr).toBe('Error: tampered.zip: the re-signed package does not verify with the key\'s public key: app_nrf52.bin does not match the SHA-256 in app_nrf52.dat\n');
    expect(fs.existsSync(path.join(dir, 'tampered-out.zip'))).toBe(false);
  });

  test('members the manifest does not name', async () => {
    const zip = await JSZip.loadAsync(read('application-in.zip'));
    zip.file('notes.txt', 'hello');
    fs.writeFileSync(path.join(dir, 'extra.zip'), await zip.generateAsync({ type: 'uint8array' }));
    const res = cli(['pkg', 'sign', 'extra.zip', '--key-file', 'key_b.pem', 'extra-out.zip']);
    expect(res.stderr).toBe("Error: extra.zip holds notes.txt, which its manifest does not name; pkg sign writes only the manifest's images, so it refuses rather than drop it\n");
    expect(res.status).toBe(1);
  });

  test.each([
    [['missing.zip', '--key-file', 'key_b.pem', 'o.zip'], "Error: Invalid value for 'IN_ZIP': File 'missing.zip' does not exist.\n"],
    [['application-in.zip', 'o.zip'], 'Error: pkg sign needs a signing key: --key-file FILE|pkcs11:URI, or --key-dir DIR --device ID\n'],
    [['application-in.zip', '--key-file', 'key_b.pem'], "Error: Missing argument 'OUT_ZIP'.\n"],
    [['application-in.zip', '--key-file', 'nokey.pem', 'o.zip'], "Error: Invalid value for '--key-file': File 'nokey.pem' does not exist.\n"],
  ])('usage error: %j', (args, stderr) => {
    const res = cli(['pkg', 'sign', ...args]);
    expect(res).toMatchObject({ status: 2, stdout: '', stderr });
    expect(fs.existsSync(path.join(dir, 'o.zip'))).toBe(false);
  });

  test('a package that is not a package', () => {
    fs.writeFileSync(path.join(dir, 'junk.zip'), 'not a zip');
    const res = cli(['pkg', 'sign', 'junk.zip', '--key-file', 'key_b.pem', 'o.zip']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^Error: junk\.zip: not a readable zip file/);
  });
});
