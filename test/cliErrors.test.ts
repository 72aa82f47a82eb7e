import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDirWith } from './helpers/cli';

const APP_ARGS = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application-version', '1'];

/** Asserts nrfutil's failure contract: exit code, one `Error:` line naming the culprit, no output file. */
function expectFailure(dir: string, args: string[], exit: number, message: RegExp, output = 'out.zip'): void {
  const res = runCli(args, { cwd: dir });
  expect(res.status).toBe(exit);
  const lines = res.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Error: /);
  expect(lines[0]).toMatch(message);
  expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(fs.readdirSync(dir).filter((f) => f === output || f.endsWith('.tmp'))).toEqual([]);
}

describe('pkg generate refuses bad input cleanly', () => {
  test('missing application file is a usage error naming the option', () => {
    const dir = tempDirWith('key_a.pem');
    expectFailure(dir, [...APP_ARGS, '--application', 'nothere.hex', '--key-file', 'key_a.pem', 'out.zip'], 2, /--application.*nothere\.hex/);
  });

  test('unreadable application file', () => {
    const dir = tempDirWith('key_a.pem', 'app_nrf52.hex');
    fs.chmodSync(path.join(dir, 'app_nrf52.hex'), 0o000);
    const readable = (() => {
      try {
        fs.readFileSync(path.join(dir, 'app_nrf52.hex'));
        return true;
      } catch {
        return false;
      }
    })();
    // root reads anything; then a directory stands in for an unreadable file
    const target = readable ? 'somedir.hex' : 'app_nrf52.hex';
    if (readable) fs.mkdirSync(path.join(dir, target));
    expectFailure(dir, [...APP_ARGS, '--application', target, '--key-file', 'key_a.pem', 'out.zip'], readable ? 2 : 1, new RegExp(target.replace('.', '\\.')));
  });

  const hexCases: [string, string, RegExp][] = [
    ['bad checksum', ':10700000B6630A577FEF578176D2F09AFF6E104300\n:00000001FF\n', /bad\.hex line 1: bad checksum/],
    ['unknown record type', ':0100000711E7\n:00000001FF\n', /bad\.hex line 1: unknown record type/],
    ['truncated line', ':10700000B6630A57\n:00000001FF\n', /bad\.hex line 1: truncated/],
    ['no EOF record', ':0270000011225B\n', /bad\.hex: no end-of-file record/],
    ['an empty image', ':00000001FF\n', /bad\.hex: .*empty image/],
  ];
  test.each(hexCases)('malformed Intel HEX: %s', (_what, text, message) => {
    const dir = tempDirWith('key_a.pem');
    fs.writeFileSync(path.join(dir, 'bad.hex'), text);
    expectFailure(dir, [...APP_ARGS, '--application', 'bad.hex', '--key-file', 'key_a.pem', 'out.zip'], 1, message);
  });

  test('an empty .bin', () => {
    const dir = tempDirWith('key_a.pem');
    fs.writeFileSync(path.join(dir, 'empty.bin'), '');
    expectFailure(dir, [...APP_ARGS, '--application', 'empty.bin', '--key-file', 'key_a.pem', 'out.zip'], 1, /empty\.bin: the file is empty/);
  });

  const pem = (kind: 'rsa' | 'ec', opts: object, type: 'pkcs1' | 'sec1' | 'spki' | 'pkcs8', part: 'privateKey' | 'publicKey' = 'privateKey') =>
    (generateKeyPairSync(kind as 'ec', opts as { namedCurve: string })[part] as import('node:crypto').KeyObject).export({ type, format: 'pem' } as never).toString();
  const keyCases: [string, () => string, number, RegExp][] = [
    ['an RSA key', () => pem('rsa', { modulusLength: 1024 }, 'pkcs1'), 1, /bad\.pem: a RSA key, not a P-256/],
    ['a key on another curve', () => pem('ec', { namedCurve: 'secp384r1' }, 'sec1'), 1, /bad\.pem: an EC key on curve secp384r1, not a P-256/],
    ['a public-only key', () => pem('ec', { namedCurve: 'prime256v1' }, 'spki', 'publicKey'), 1, /bad\.pem holds only a public key/],
    [
      'an encrypted key without a passphrase',
      () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(),
      1,
      /bad\.pem: the key is encrypted; set NRFUTIL_KEY_PASSPHRASE/,
    ],
    ['garbage', () => 'this is not a key\n', 1, /bad\.pem: not a PEM key file/],
    ['a damaged PEM', () => '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n', 1, /bad\.pem: not a readable PEM key/],
  ];
  test.each(keyCases)('a key file that is %s', (_what, make, exit, message) => {
    const dir = tempDirWith('app_nrf52.hex');
    fs.writeFileSync(path.join(dir, 'bad.pem'), make());
    expectFailure(dir, [...APP_ARGS, '--application', 'app_nrf52.hex', '--key-file', 'bad.pem', 'out.zip'], exit, message);
  });

  test('an output directory that does not exist', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    expectFailure(dir, [...APP_ARGS, '--application', 'app_nrf52.hex', '--key-file', 'key_a.pem', 'nodir/out.zip'], 1, /nodir\/out\.zip: directory nodir does not exist/);
    expect(fs.existsSync(path.join(dir, 'nodir'))).toBe(false);
  });

  test('ECDSA boot validation without a key is a usage error', () => {
    const dir = tempDirWith('app_nrf52.hex');
    expectFailure(dir, [...APP_ARGS, '--application', 'app_nrf52.hex', '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', 'out.zip'], 2, /VALIDATE_ECDSA_P256_SHA256.*--key-file/);
  });

  test('an unknown option is a usage error', () => {
    const dir = tempDirWith('app_nrf52.hex');
    expectFailure(dir, [...APP_ARGS, '--application', 'app_nrf52.hex', '--colour', 'out.zip'], 2, /colour/);
  });

  test('an unknown command exits 2 with one line', () => {
    const res = runCli(['pkg', 'frobnicate']);
    expect(res.status).toBe(2);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('keys', () => {
  test('keys generate writes a P-256 SEC1 key with mode 0600', () => {
    const dir = tempDirWith();
    const res = runCli(['keys', 'generate', 'k.pem'], { cwd: dir });
    expect(res.status).toBe(0);
    const file = path.join(dir, 'k.pem');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
  });

  test('keys generate overwrites only after "y"', () => {
    const dir = tempDirWith('key_a.pem');
    const before = fs.readFileSync(path.join(dir, 'key_a.pem'), 'utf8');
    expect(runCli(['keys', 'generate', 'key_a.pem'], { cwd: dir, input: 'y\n' }).stdout).toMatch(/Generated private key/);
    expect(fs.readFileSync(path.join(dir, 'key_a.pem'), 'utf8')).not.toBe(before);
  });

  test('keys display --key sk --out_file writes the secret 0600', () => {
    const dir = tempDirWith('key_a.pem');
    expect(runCli(['keys', 'display', '--key', 'sk', '--format', 'hex', '--out_file', 'sk.txt', 'key_a.pem'], { cwd: dir }).status).toBe(0);
    expect(fs.statSync(path.join(dir, 'sk.txt')).mode & 0o777).toBe(0o600);
  });

  test('keys display of a public-only PEM shows the public key', () => {
    const dir = tempDirWith('key_a.pem');
    const pub = runCli(['keys', 'display', '--key', 'pk', '--format', 'pem', 'key_a.pem'], { cwd: dir }).stdout.trimEnd() + '\n';
    fs.writeFileSync(path.join(dir, 'pub.pem'), pub);
    const viaPublic = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', 'pub.pem'], { cwd: dir });
    const viaPrivate = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', 'key_a.pem'], { cwd: dir });
    expect(viaPublic.status).toBe(0);
    expect(viaPublic.stdout).toBe(viaPrivate.stdout);
    const sk = runCli(['keys', 'display', '--key', 'sk', '--format', 'hex', 'pub.pem'], { cwd: dir });
    expect(sk.status).not.toBe(0);
    expect(sk.stderr).toMatch(/pub\.pem holds only a public key/);
  });
});

describe('global options and aliases', () => {
  test('-v and -o before the command, and the nrf5sdk-tools spelling', () => {
    const dir = tempDirWith('key_a.pem');
    const plain = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', 'key_a.pem'], { cwd: dir });
    const spelled = runCli(['-v', '-o', 'log.txt', 'nrf5sdk-tools', 'keys', 'display', '--key', 'pk', '--format', 'hex', 'key_a.pem'], { cwd: dir });
    expect(spelled.status).toBe(0);
    expect(spelled.stdout).toBe(plain.stdout);
  });

  test('version names the nrfutil version reproduced', () => {
    expect(runCli(['version']).stdout).toMatch(/^nrfutil version 6\.1\.7 \(nrfutil-ts \d+\.\d+\.\d+\)\n$/);
  });
});
