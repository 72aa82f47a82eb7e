// keys as nrfutil 6.1.7 (python-ecdsa underneath) reads and writes them (issue 10).
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CORPUS, input, runCli, tempDirWith } from './helpers/cli';

const recordedStdout = (name: string): string => JSON.parse(fs.readFileSync(path.join(CORPUS, 'cases', name, 'case.json'), 'utf8')).stdout;

/** SEC1 DER of a PEM file, and a PEM of SEC1 DER. */
const sec1Der = (pem: Buffer) => createPrivateKey(pem).export({ type: 'sec1', format: 'der' });
const sec1Pem = (der: Buffer) => `-----BEGIN EC PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END EC PRIVATE KEY-----\n`;

/** key `d`'s private scalar with key `pub`'s public key stored beside it. */
function mismatched(d: string, pub: string): string {
  const der = Buffer.from(sec1Der(input(d)));
  sec1Der(input(pub)).copy(der, der.length - 64, der.length - 64); // the public point is the last 64 bytes
  return sec1Pem(der);
}

function display(pem: string, ...args: string[]) {
  const dir = tempDirWith();
  fs.writeFileSync(path.join(dir, 'k.pem'), pem);
  return runCli(['keys', 'display', ...args, 'k.pem'], { cwd: dir });
}

describe('keys: the public key is derived from the private scalar', () => {
  test('a stored public key that does not match is ignored, with a warning on stderr', () => {
    const pem = mismatched('key_a.pem', 'debug_key.pem');
    const hex = display(pem, '--key', 'pk', '--format', 'hex');
    expect(hex.status).toBe(0);
    expect(hex.stdout).toBe(recordedStdout('keys-display-pk-hex'));
    expect(hex.stderr).toMatch(/^Warning: k\.pem: the public key stored in the file does not belong to its private key/);
    const sk = display(pem, '--key', 'sk', '--format', 'pem');
    expect(sk.stdout).toBe(recordedStdout('keys-display-sk-pem'));
  });

  test('the debug-key banner follows the private scalar, not the stored public key', () => {
    expect(display(mismatched('debug_key.pem', 'key_a.pem'), '--key', 'pk', '--format', 'hex').stdout).toContain('The security key you provided is insecure');
    expect(display(mismatched('key_a.pem', 'debug_key.pem'), '--key', 'pk', '--format', 'hex').stdout).not.toContain('The security key you provided is insecure');
  });

  test('--key sk --format pem re-encodes any private key as SEC1 with the named curve', () => {
    const pkcs8 = createPrivateKey(input('key_a.pem')).export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(display(pkcs8, '--key', 'sk', '--format', 'pem').stdout).toBe(recordedStdout('keys-display-sk-pem'));
  });

  test('PEM with leading text and indented lines is read as nrfutil reads it', () => {
    const pem = input('key_a.pem').toString();
    const decorated = 'Key for board rev B\nissued 2024\n' + pem.split('\n').map((l) => (l ? '    ' + l : l)).join('\n');
    expect(display(decorated, '--key', 'pk', '--format', 'hex')).toMatchObject({ status: 0, stdout: recordedStdout('keys-display-pk-hex') });
  });
});

describe('keys generate over an existing file asks as nrfutil asks', () => {
  const question = 'File found at k.pem. Do you want to overwrite the file?  [y/N]\n';

  test('an answer other than y/yes/n/no repeats the question', () => {
    const dir = tempDirWith('key_a.pem');
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'k.pem'));
    const res = runCli(['keys', 'generate', 'k.pem'], { cwd: dir, input: 'maybe\nN\n' });
    expect(res).toMatchObject({ status: 0, stdout: `${question}Please respond with y/n\n${question}Key generation aborted.\n` });
    expect(fs.readFileSync(path.join(dir, 'k.pem'))).toEqual(input('key_a.pem'));
  });

  test('end of input prints Aborted! and exits 1, keeping the file', () => {
    const dir = tempDirWith('key_a.pem');
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'k.pem'));
    const res = runCli(['keys', 'generate', 'k.pem'], { cwd: dir, input: 'what\n' });
    expect(res).toMatchObject({ status: 1, stdout: `${question}Please respond with y/n\n${question}`, stderr: '\nAborted!\n' });
    expect(fs.readFileSync(path.join(dir, 'k.pem'))).toEqual(input('key_a.pem'));
  });

  test('yes overwrites', () => {
    const dir = tempDirWith('key_a.pem');
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'k.pem'));
    const res = runCli(['keys', 'generate', 'k.pem'], { cwd: dir, input: 'yes\n' });
    expect(res.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'k.pem'))).not.toEqual(input('key_a.pem'));
  });
});
