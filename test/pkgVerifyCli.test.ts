import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDirWith } from './helpers/cli';
import { flipByte, membersOf, recordedPackages, zipOf } from './helpers/packages';
import { readPackageZip } from '../src/core/packageZip';

const generate = (dir: string, zip: string, extra: string[] = []) =>
  runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', ...extra, zip], { cwd: dir });

function setup() {
  const dir = tempDirWith('app_nrf52.hex', 'key_a.pem', 'debug_key.pem');
  expect(generate(dir, 'good.zip', ['--key-file', 'key_a.pem']).status).toBe(0);
  return dir;
}

async function tamper(dir: string, from: string, to: string, change: (files: Map<string, Uint8Array>) => void) {
  const files = await readPackageZip(fs.readFileSync(path.join(dir, from)), from);
  change(files);
  fs.writeFileSync(path.join(dir, to), await zipOf(files));
}

function verify(dir: string, zip: string, key = ['--key-file', 'key_a.pem'], extra: string[] = []) {
  return runCli(['pkg', 'verify', zip, ...key, ...extra], { cwd: dir });
}

const lastLine = (out: string) => out.trim().split('\n').pop();

describe('pkg verify', () => {
  test('a good package: one line per image and a verdict, exit 0', () => {
    const dir = setup();
    const res = verify(dir, 'good.zip');
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('application           app_nrf52.bin: ok (21252 bytes, hash ok, signature valid)\ngood.zip: the bootloader would accept this package\n');
  });

  test('a public-only PEM is enough', () => {
    const dir = setup();
    expect(runCli(['keys', 'display', '--key', 'pk', '--format', 'pem', '--out_file', 'pub.pem', 'key_a.pem'], { cwd: dir }).status).toBe(0);
    expect(verify(dir, 'good.zip', ['--key-file', 'pub.pem']).status).toBe(0);
  });

  test('a recorded nrfutil package verifies with its key and fails with another', async () => {
    const c = recordedPackages().find((p) => p.keyFile === 'key_a.pem')!;
    const dir = tempDirWith('key_a.pem', 'debug_key.pem');
    fs.writeFileSync(path.join(dir, 'rec.zip'), await zipOf(membersOf(c.zipDir)));
    expect(verify(dir, 'rec.zip').status).toBe(0);
    const res = verify(dir, 'rec.zip', ['--key-file', 'debug_key.pem']);
    expect(res.status).toBe(1);
    expect(lastLine(res.stdout)).toMatch(/REJECTED: .*\.dat is signed by another key/);
  });

  test.each([
    ['a flipped byte in the .bin', (f: Map<string, Uint8Array>) => f.set('app_nrf52.bin', flipByte(f.get('app_nrf52.bin')!, 10)), /app_nrf52\.bin does not match the SHA-256 in app_nrf52\.dat/],
    ['a flipped byte in the .dat', (f: Map<string, Uint8Array>) => f.set('app_nrf52.dat', flipByte(f.get('app_nrf52.dat')!, 40)), /app_nrf52\.dat is signed by another key/],
    ['a member named ../x', (f: Map<string, Uint8Array>) => f.set('../x', new Uint8Array(1)), /member name \.\.\/x escapes the archive/],
  ])('%s: one-line reason, exit 1', async (_, change, reason) => {
    const dir = setup();
    await tamper(dir, 'good.zip', 'bad.zip', change);
    const res = verify(dir, 'bad.zip');
    expect(res.status).toBe(1);
    expect(lastLine(res.stdout)).toMatch(reason);
    expect(res.stderr).toBe('');
  });

  test('.dat files swapped between two packages', async () => {
    const dir = setup();
    fs.writeFileSync(path.join(dir, 'small.bin'), new Uint8Array(64).fill(1));
    expect(runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'small.bin', '--application-version', '1', '--key-file', 'key_a.pem', 'small.zip'], { cwd: dir }).status).toBe(0);
    const small = await readPackageZip(fs.readFileSync(path.join(dir, 'small.zip')), 'small.zip');
    await tamper(dir, 'good.zip', 'swapped2.zip', (f) => f.set('app_nrf52.dat', small.get('small.dat')!));
    const res = verify(dir, 'swapped2.zip');
    expect(res.status).toBe(1);
    expect(lastLine(res.stdout)).toMatch(/app_nrf52\.bin is 21252 bytes, the init packet says 64/);
  });

  test('a truncated zip', () => {
    const dir = setup();
    const bytes = fs.readFileSync(path.join(dir, 'good.zip'));
    fs.writeFileSync(path.join(dir, 'cut.zip'), bytes.subarray(0, bytes.length / 2));
    const res = verify(dir, 'cut.zip');
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/^cut\.zip: REJECTED: cut\.zip: not a readable zip file/);
  });

  test('5 sd_req entries: accepted by the SDK bootloader, refused under --max-sd-req 4 (generate warns, verify rejects)', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    const args = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '1,2,3,4,5', '--application', 'app_nrf52.hex', '--application-version', '1', '--key-file', 'key_a.pem'];
    const plain = runCli([...args, 'five.zip'], { cwd: dir });
    expect(plain.status).toBe(0);
    expect(plain.stderr).toBe('');
    expect(verify(dir, 'five.zip').status).toBe(0);
    const gen = runCli([...args, '--max-sd-req', '4', 'five4.zip'], { cwd: dir });
    expect(gen.status).toBe(0);
    expect(gen.stderr).toMatch(/^Warning: app_nrf52\.dat will have 5 sd_req entries, the bootloader accepts at most 4; the nRF5 bootloader will reject this package\.\n$/);
    const res = runCli(['pkg', 'verify', 'five.zip', '--key-file', 'key_a.pem', '--max-sd-req', '4'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(lastLine(res.stdout)).toMatch(/more than 4 sd_req entries \(array overflow\)/);
  });

  test('an unsigned package is said to be unsigned', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    expect(generate(dir, 'unsigned.zip').status).toBe(0);
    const res = verify(dir, 'unsigned.zip');
    expect(res.status).toBe(1);
    expect(lastLine(res.stdout)).toMatch(/is unsigned; the secure bootloader rejects unsigned packages/);
  });

  test('--json prints the verdict for machines', () => {
    const dir = setup();
    const res = verify(dir, 'good.zip', ['--key-file', 'debug_key.pem'], ['--json']);
    expect(res.status).toBe(1);
    const json = JSON.parse(res.stdout);
    expect(json).toMatchObject({ package: 'good.zip', accepted: false, images: [{ kind: 'application', signature: 'other-key' }] });
  });

  test('--key-dir/--device picks the device key', () => {
    const dir = setup();
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'keys', 'dev-1.pem'));
    expect(verify(dir, 'good.zip', ['--key-dir', 'keys', '--device', 'dev-1']).status).toBe(0);
  });

  test.each([
    [['pkg', 'verify', 'good.zip'], /needs the public key/],
    [['pkg', 'verify', 'missing.zip', '--key-file', 'key_a.pem'], /'ZIP_FILE': File 'missing\.zip' does not exist/],
  ])('usage errors exit 2: %j', (args, reason) => {
    const dir = setup();
    const res = runCli(args, { cwd: dir });
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(reason);
  });
});
