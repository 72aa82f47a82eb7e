import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readPackageZip } from '../src/core/packageZip';
import { verifyPackage } from '../src/core/packageVerify';
import { publicKeyFromHex } from './helpers/keys';
import { runCli, tempDirWith } from './helpers/cli';
import { createSoftHsm, SoftHsm } from './helpers/softhsm';

let hsm: SoftHsm;
let dir: string;
const uri = (object: string, token = 'fleet') => `pkcs11:token=${token};object=${object}`;
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: dir, env: { ...hsm.env, ...env } });
const pkgGenerate = (key: string, out: string, extra: string[] = []) =>
  ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--key-file', key, ...extra, out];
const outputs = () => fs.readdirSync(dir).filter((f) => /\.(zip|tmp|hex|pem)$/.test(f) && !['app_nrf52.hex', 'key_a.pem'].includes(f));

/** An RSA pair in the token, made outside nrfutil-ts (which only makes EC keys). */
function createRsaKey(label: string): void {
  execFileSync(process.execPath, [path.join(__dirname, 'helpers', 'createRsaKey.js'), hsm.module, 'fleet', hsm.pin, label], { env: { ...process.env, ...hsm.env } });
}

beforeAll(() => {
  hsm = createSoftHsm('fleet', 'spare');
  dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
  const res = runCli(['keys', 'generate', uri('dev-1')], { cwd: dir, env: hsm.env });
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  createRsaKey('rsa-key');
});

describe('pkcs11 provider (SoftHSM2)', () => {
  test('keys generate makes a pair in the token and prints its public key', () => {
    const res = cli(['keys', 'generate', uri('dev-2')]);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^Generated key pair in pkcs11:token=fleet;object=dev-2\nPublic \(verification\) key pk:\n[0-9a-f]{128}\n$/);
    const shown = cli(['keys', 'display', '--key', 'pk', '--format', 'hex', uri('dev-2')]);
    expect(shown.status).toBe(0);
  });

  test('keys generate refuses an object that exists', () => {
    const res = cli(['keys', 'generate', uri('dev-1')]);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe("Error: The object 'dev-1' on token 'fleet' already exists (a key object with this label or id is on the token); choose another object= or delete it first\n");
  });

  test('a package signed in the token verifies with the token public key and not with another key', async () => {
    expect(cli(pkgGenerate(uri('dev-1'), 'hsm.zip', ['--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256'])).status).toBe(0);
    const pk = cli(['keys', 'display', '--key', 'pk', '--format', 'hex', uri('dev-1')]).stdout.trim().split('\n').pop()!;
    const zip = fs.readFileSync(path.join(dir, 'hsm.zip'));
    expect((await verifyPackage(zip, 'hsm.zip', publicKeyFromHex(pk))).accepted).toBe(true);
    expect(cli(['pkg', 'verify', 'hsm.zip', '--key-file', uri('dev-1')]).status).toBe(0);
    expect(cli(['pkg', 'verify', 'hsm.zip', '--key-file', 'key_a.pem']).status).toBe(1);
    // the public key from the token as PEM verifies too (dfu_public_key.c comes from the same key)
    expect(cli(['keys', 'display', '--key', 'pk', '--format', 'pem', '--out_file', 'token_pub.pem', uri('dev-1')]).status).toBe(0);
    expect(cli(['pkg', 'verify', 'hsm.zip', '--key-file', 'token_pub.pem']).status).toBe(0);
    expect(Object.keys(Object.fromEntries(await readPackageZip(zip, 'hsm.zip'))).sort()).toEqual(['app_nrf52.bin', 'app_nrf52.dat', 'manifest.json']);
    for (const f of ['hsm.zip', 'token_pub.pem']) fs.rmSync(path.join(dir, f));
  });

  test('keys display --key code works from the token; --key sk refuses in one line', () => {
    const code = cli(['keys', 'display', '--key', 'pk', '--format', 'code', uri('dev-1')]);
    expect(code.status).toBe(0);
    expect(code.stdout).toContain('__ALIGN(4) const uint8_t pk[64] =');
    const sk = cli(['keys', 'display', '--key', 'sk', '--format', 'hex', uri('dev-1')]);
    expect(sk.status).not.toBe(0);
    expect(sk.stderr).toMatch(/^Error: .*never leaves.*\n$/);
    expect(sk.stdout).toBe('');
  });

  test.each([
    ['wrong PIN', uri('dev-1'), { NRFUTIL_PKCS11_PIN: '0000' }, /^Error: PKCS#11 login to token 'fleet' failed: wrong PIN \(CKR_PIN_INCORRECT\); stopped after this one attempt\n$/],
    ['missing module', uri('dev-1'), { NRFUTIL_PKCS11_MODULE: '/nonexistent/libpkcs11.so' }, /^Error: PKCS#11 module \/nonexistent\/libpkcs11\.so does not exist/],
    ['missing object', uri('no-such-key'), {}, /^Error: No key object 'no-such-key' on token 'fleet'/],
    ['missing token', uri('dev-1', 'nope'), {}, /^Error: No token 'nope' in the PKCS#11 module/],
    ['non-EC object', uri('rsa-key'), {}, /^Error: The object 'rsa-key' on token 'fleet' is not an EC key/],
  ])('%s: one line, exit 1, no output file', (_, key, env, message) => {
    const res = cli(pkgGenerate(key, 'out.zip'), env);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(message);
    expect(res.stderr.split('\n')).toHaveLength(2);
    expect(outputs()).toEqual([]);
  });

  test('the PIN never appears in messages', () => {
    const res = cli(pkgGenerate(`${uri('no-such-key')}?pin-value=1234`, 'out.zip'), { NRFUTIL_PKCS11_PIN: undefined });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^Warning: pin-value in a PKCS#11 URI puts the PIN on the command line/);
    expect(res.stderr.replace('pin-value', '')).not.toMatch(/1234/);
  });

  test('PIN from pin-source=file:, module from module-path=, key by id=', () => {
    fs.writeFileSync(path.join(dir, 'pin.txt'), `${hsm.pin}\n`);
    expect(cli(['keys', 'generate', `pkcs11:token=fleet;object=by-id;id=%42%43?pin-source=file:${path.join(dir, 'pin.txt')}`], { NRFUTIL_PKCS11_PIN: undefined }).status).toBe(0);
    const res = cli(pkgGenerate(`pkcs11:token=fleet;id=%42%43?module-path=${hsm.module}&pin-source=file:pin.txt`, 'byid.zip'), { NRFUTIL_PKCS11_PIN: undefined, NRFUTIL_PKCS11_MODULE: undefined });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(cli(['pkg', 'verify', 'byid.zip', '--key-file', 'pkcs11:token=fleet;object=by-id']).status).toBe(0);
    fs.rmSync(path.join(dir, 'byid.zip'));
  });

  test('no PIN and no terminal: one line saying where a PIN can come from', () => {
    const res = cli(pkgGenerate(uri('dev-1'), 'out.zip'), { NRFUTIL_PKCS11_PIN: undefined });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^Error: No PIN for token 'fleet': set NRFUTIL_PKCS11_PIN/);
  });

  test('settings generate signs ECDSA boot validation in the token', () => {
    const res = cli(['settings', 'generate', '--family', 'NRF52', '--application', 'app_nrf52.hex', '--application-version', '1', '--bootloader-version', '1', '--bl-settings-version', '2', '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', '--key-file', uri('dev-1'), 'settings.hex']);
    expect(res.status).toBe(0);
    expect(cli(['settings', 'display', 'settings.hex']).stdout).toContain('* App Boot Validation Type: 0x00000003 (3)');
    fs.rmSync(path.join(dir, 'settings.hex'));
  });
});
