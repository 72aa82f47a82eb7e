import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDirWith } from './helpers/cli';

const pk = ['keys', 'display', '--key', 'pk', '--format', 'hex'];

function keyFiles(dir: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const write = (name: string, text: string | Buffer) => fs.writeFileSync(path.join(dir, name), text);
  write('plain.pem', privateKey.export({ type: 'sec1', format: 'pem' }));
  write('pkcs8-enc.pem', privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }));
  write('sec1-enc.pem', privateKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }));
  write('public.pem', publicKey.export({ type: 'spki', format: 'pem' }));
}

describe('encrypted and public-only PEM keys', () => {
  const dir = tempDirWith('app_nrf52.hex');
  keyFiles(dir);
  const expected = runCli([...pk, 'plain.pem'], { cwd: dir }).stdout;

  test.each(['pkcs8-enc.pem', 'sec1-enc.pem'])('%s opens with the right passphrase from NRFUTIL_KEY_PASSPHRASE', (file) => {
    const res = runCli([...pk, file], { cwd: dir, env: { NRFUTIL_KEY_PASSPHRASE: 'secret' } });
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(expected);
  });

  test('the passphrase can come from a file (NRFUTIL_KEY_PASSPHRASE_FILE)', () => {
    fs.writeFileSync(path.join(dir, 'pass.txt'), 'secret\n');
    const res = runCli([...pk, 'pkcs8-enc.pem'], { cwd: dir, env: { NRFUTIL_KEY_PASSPHRASE_FILE: path.join(dir, 'pass.txt') } });
    expect(res.stdout).toBe(expected);
  });

  test.each(['pkcs8-enc.pem', 'sec1-enc.pem'])('%s with a wrong passphrase: one line, exit 1, no output', (file) => {
    const res = runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--key-file', file, 'x.zip'], { cwd: dir, env: { NRFUTIL_KEY_PASSPHRASE: 'wrong' } });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe(`Error: ${file}: cannot decrypt the key: wrong passphrase\n`);
    expect(fs.existsSync(path.join(dir, 'x.zip'))).toBe(false);
  });

  test('a missing passphrase (no terminal) says where to put it', () => {
    const res = runCli([...pk, 'sec1-enc.pem'], { cwd: dir, env: { NRFUTIL_KEY_PASSPHRASE: undefined, NRFUTIL_KEY_PASSPHRASE_FILE: undefined } });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^Error: sec1-enc\.pem: the key is encrypted; set NRFUTIL_KEY_PASSPHRASE/);
    expect(res.stderr).not.toMatch(/secret/);
  });

  test('a signed package from an encrypted key equals the one from the plain key', () => {
    const gen = (key: string, out: string) =>
      runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--key-file', key, out], { cwd: dir, env: { NRFUTIL_KEY_PASSPHRASE: 'secret' } });
    expect(gen('plain.pem', 'a.zip').status).toBe(0);
    expect(gen('sec1-enc.pem', 'b.zip').status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.zip'))).toEqual(fs.readFileSync(path.join(dir, 'b.zip')));
  });

  test('a public-only PEM shows the public key but cannot sign', () => {
    expect(runCli([...pk, 'public.pem'], { cwd: dir }).stdout).toBe(expected);
    const res = runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--key-file', 'public.pem', 'p.zip'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('Error: public.pem holds only a public key; signing needs the private key\n');
  });
});
