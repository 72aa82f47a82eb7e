import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, tempDirWith } from './helpers/cli';
import { createSoftHsm, SoftHsm } from './helpers/softhsm';

let hsm: SoftHsm;
let dir: string;
const uriTemplate = 'pkcs11:token=fleet;object={device}';
const devices = Array.from({ length: 25 }, (_, i) => `dev-${i}`);

/** Runs the CLI with C_Login counted; returns its result and the number of logins. */
function cliCountingLogins(args: string[], env: NodeJS.ProcessEnv = {}) {
  const countFile = path.join(dir, `logins-${Date.now()}-${Math.random()}`);
  const res = spawnSync(process.execPath, ['-r', path.join(__dirname, 'helpers', 'countLogins.js'), BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, ...hsm.env, LOGIN_COUNT_FILE: countFile, ...env },
    timeout: 60_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, logins: Number(fs.readFileSync(countFile, 'utf8')) };
}

const batch = (outDir: string) => ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--devices', 'devices.txt', '--key-file', uriTemplate, '--out-dir', outDir];

beforeAll(() => {
  hsm = createSoftHsm('fleet');
  dir = tempDirWith('app_nrf52.hex');
  fs.writeFileSync(path.join(dir, 'devices.txt'), devices.join('\n'));
});

describe('one login per token per command', () => {
  test('a wrong PIN stops a 25-device batch at the first login: exactly one C_Login, no files', () => {
    const res = cliCountingLogins(batch('out'), { NRFUTIL_PKCS11_PIN: '9999' });
    expect(res.logins).toBe(1);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe("Error: PKCS#11 login to token 'fleet' failed: wrong PIN (CKR_PIN_INCORRECT); stopped after this one attempt\n");
    expect(fs.existsSync(path.join(dir, 'out')) ? fs.readdirSync(path.join(dir, 'out')) : []).toEqual([]);
  });

  test('the right PIN with every key missing: one login, 25 per-device failures', () => {
    const res = cliCountingLogins(batch('out-missing'));
    expect(res.stderr).toBe('');
    expect(res.logins).toBe(1);
    expect(res.status).toBe(1);
    expect(res.stdout.match(/FAILED: No key object 'dev-\d+' on token 'fleet'/g)).toHaveLength(25);
  });

  test('keys generate and keys display --devices log in once', () => {
    fs.writeFileSync(path.join(dir, 'five.txt'), devices.slice(0, 5).join('\n'));
    for (const device of devices.slice(0, 5)) {
      const gen = cliCountingLogins(['keys', 'generate', `pkcs11:token=fleet;object=${device}`]);
      expect(gen).toMatchObject({ status: 0, logins: 1 });
    }
    const display = cliCountingLogins(['keys', 'display', '--key', 'pk', '--format', 'code', '--devices', 'five.txt', '--key-file', uriTemplate, '--out-dir', 'pub']);
    expect(display).toMatchObject({ status: 0, logins: 1 });
    expect(fs.readdirSync(path.join(dir, 'pub'))).toHaveLength(5);
  });

  test('a token whose public object under a label belongs to another pair: pkg generate refuses to write, naming the mismatch', () => {
    for (const label of ['mixed', 'donor']) expect(cliCountingLogins(['keys', 'generate', `pkcs11:token=fleet;object=${label}`]).status).toBe(0);
    execFileSync(process.execPath, [path.join(__dirname, 'helpers', 'mismatchKeyPair.js'), hsm.module, 'fleet', hsm.pin, 'mixed', 'donor'], { env: { ...process.env, ...hsm.env } });
    const res = cliCountingLogins(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--key-file', 'pkcs11:token=fleet;object=mixed', 'mixed.zip']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^Error: the signature made with pkcs11:token=fleet;object=mixed does not verify with its public key: the key store's public and private objects are not one pair\n$/);
    expect(fs.existsSync(path.join(dir, 'mixed.zip'))).toBe(false);
  });
});

describe('PINs never reach the screen', () => {
  test('an upper-case PKCS11: scheme is a PKCS#11 URI (RFC 7512), and its pin-value is redacted', () => {
    const res = cliCountingLogins(['keys', 'generate', 'PKCS11:token=fleet;object=upper?pin-value=1234'], { NRFUTIL_PKCS11_PIN: undefined });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^Generated key pair in PKCS11:token=fleet;object=upper\?pin-value=\*\*\*\n/);
    expect(res.stdout + res.stderr).not.toMatch(/1234/);
    expect(fs.existsSync(path.join(dir, 'PKCS11:token=fleet;object=upper?pin-value=1234'))).toBe(false);
  });

  test.each([
    ['a mistyped pin-value:1234', 'pkcs11:token=fleet;object=x?pin-value:1234'],
    ['an unknown attribute holding the PIN', 'pkcs11:token=fleet;object=x?pin=1234'],
  ])('%s is not echoed in the error', (_, uri) => {
    const res = cliCountingLogins(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--key-file', uri, 'x.zip']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/^Error: Invalid PKCS#11 URI/);
    expect(res.stderr).not.toMatch(/1234/);
  });
});
