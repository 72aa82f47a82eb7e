import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { verifyPackage } from '../src/core/packageVerify';
import { SoftwareKey } from '../src/plugins/pemFile';
import { runCli, tempDirWith } from './helpers/cli';
import { publicKeyFromHex } from './helpers/keys';
import { createSoftHsm } from './helpers/softhsm';

const ids = Array.from({ length: 50 }, (_, i) => `dev-${String(i).padStart(3, '0')}`);
const firmware = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '7', '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256'];
const keyOf = (dir: string, id: string) => SoftwareKey.fromPem(fs.readFileSync(path.join(dir, 'keys', `${id}.pem`)), id);

describe('pkg sign IN.zip --devices: a 50-device re-sign batch', () => {
  const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
  fs.writeFileSync(path.join(dir, 'devices.txt'), ids.join('\n') + '\n');
  let batch: ReturnType<typeof runCli>;

  beforeAll(() => {
    expect(runCli(['keys', 'generate', '--devices', 'devices.txt', '--key-dir', 'keys'], { cwd: dir }).status).toBe(0);
    // the build server's package, signed with its own (development) key
    expect(runCli([...firmware, '--key-file', 'key_a.pem', 'build.zip'], { cwd: dir }).status).toBe(0);
    batch = runCli(['pkg', 'sign', 'build.zip', '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'out', '--json'], { cwd: dir });
  });

  test('every zip verifies with its own key and fails with its neighbour’s; the report is pkg generate’s', async () => {
    expect(batch).toMatchObject({ status: 0, stderr: '' });
    // pkg generate --devices --json's records: one per device, paths under --out-dir as given
    const report = JSON.parse(batch.stdout);
    expect(report).toHaveLength(50);
    for (let i = 0; i < 50; i++) {
      const zip = fs.readFileSync(path.join(dir, 'out', `${ids[i]}.zip`));
      expect(report[i]).toEqual({ device: ids[i], status: 'ok', file: path.join('out', `${ids[i]}.zip`), sha256: createHash('sha256').update(zip).digest('hex') });
      expect((await verifyPackage(zip, ids[i], await keyOf(dir, ids[i]).publicKey())).accepted).toBe(true);
      expect((await verifyPackage(zip, ids[i], await keyOf(dir, ids[(i + 1) % 50]).publicKey())).accepted).toBe(false);
    }
  });

  test('each zip equals pkg generate --devices for the same device', () => {
    expect(runCli([...firmware, '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'generated'], { cwd: dir }).status).toBe(0);
    for (const id of ids) expect(fs.readFileSync(path.join(dir, 'out', `${id}.zip`))).toEqual(fs.readFileSync(path.join(dir, 'generated', `${id}.zip`)));
  });

  test('a device without a key: one line in the text report, exit 1, the rest written', () => {
    fs.writeFileSync(path.join(dir, 'plus.txt'), `${ids[0]}\nnew-1\n`);
    const res = runCli(['pkg', 'sign', 'build.zip', '--devices', 'plus.txt', '--key-dir', 'keys', '--out-dir', 'plus', '--name-template', 'fw-{device}.zip'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe(`1 of 2 packages written to plus\nnew-1: FAILED: No key for device new-1: ${path.join('keys', 'new-1.pem')} does not exist\n`);
    expect(fs.readdirSync(path.join(dir, 'plus'))).toEqual([`fw-${ids[0]}.zip`]);
  });

  test.each([
    [['--devices', 'devices.txt', '--out-dir', 'x'], /^Error: --device needs --key-dir DIR/],
    [['--devices', 'devices.txt', '--key-dir', 'keys'], /^Error: --devices needs --out-dir DIR/],
    [['--devices', 'devices.txt', '--key-file', 'key_a.pem', '--out-dir', 'x'], /--key-file must be a template containing \{device\}/],
    [['--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'x', 'one.zip'], /give --out-dir DIR instead of OUT_ZIP/],
    [['--devices', 'devices.txt', '--key-dir', 'keys', '--device', 'dev-001', '--out-dir', 'x'], /leave out --device/],
    [['--devices', 'nope.txt', '--key-dir', 'keys', '--out-dir', 'x'], /'--devices': File 'nope.txt' does not exist/],
  ])('one usage error, exit 2, no out dir: %j', (extra, message) => {
    const res = runCli(['pkg', 'sign', 'build.zip', ...extra], { cwd: dir });
    expect(res).toMatchObject({ status: 2, stdout: '' });
    expect(res.stderr).toMatch(message);
    expect(res.stderr.split('\n')).toHaveLength(2);
    expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
  });
});

describe('pkg sign --devices with a PKCS#11 URI template (SoftHSM2)', () => {
  test('one package per device from token keys, each verifying with its own key only', async () => {
    const hsm = createSoftHsm('fleet');
    const dir = tempDirWith('app_nrf52.hex');
    const devices = ['a1', 'a2', 'a3'];
    fs.writeFileSync(path.join(dir, 'devices.txt'), devices.join('\n'));
    for (const d of devices) expect(runCli(['keys', 'generate', `pkcs11:token=fleet;object=dev-${d}`], { cwd: dir, env: hsm.env }).status).toBe(0);
    expect(runCli([...firmware.filter((a, i) => i < 10), 'unsigned.zip'], { cwd: dir }).status).toBe(0);
    const template = 'pkcs11:token=fleet;object=dev-{device}';
    const res = runCli(['pkg', 'sign', 'unsigned.zip', '--devices', 'devices.txt', '--key-file', template, '--out-dir', 'out'], { cwd: dir, env: hsm.env });
    expect(res).toMatchObject({ status: 0, stdout: '3 of 3 packages written to out\n' });
    expect(runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', '--devices', 'devices.txt', '--key-file', template, '--out-dir', 'pub'], { cwd: dir, env: hsm.env }).status).toBe(0);
    const pub = (d: string) => publicKeyFromHex(fs.readFileSync(path.join(dir, 'pub', `public_key_${d}.txt`), 'utf8').split('\n').pop()!);
    for (const [i, d] of devices.entries()) {
      const zip = fs.readFileSync(path.join(dir, 'out', `${d}.zip`));
      expect((await verifyPackage(zip, d, pub(d))).accepted).toBe(true);
      expect((await verifyPackage(zip, d, pub(devices[(i + 1) % 3]))).accepted).toBe(false);
    }
  });
});

describe('one device or many: the same warnings, messages and exit codes', () => {
  const dir = tempDirWith('app_nrf52.hex');
  // One more sd_req id than the SDK bootloader's array holds (16).
  const five = ['pkg', 'generate', '--hw-version', '52', '--sd-req', Array.from({ length: 17 }, (_, i) => i + 1).join(','), '--application', 'app_nrf52.hex', '--application-version', '1'];
  const WARNING = 'Warning: app_nrf52.dat will have 17 sd_req entries, the bootloader accepts at most 16; the nRF5 bootloader will reject this package.\n';
  beforeAll(() => {
    fs.writeFileSync(path.join(dir, 'devices.txt'), 'd1\nd2\nd3\n');
    expect(runCli(['keys', 'generate', '--devices', 'devices.txt', '--key-dir', 'keys'], { cwd: dir }).status).toBe(0);
  });

  test('17 --sd-req ids: one warning and the packages, single, batch and pkg sign alike', () => {
    const single = runCli([...five, '--key-dir', 'keys', '--device', 'd2', 'single.zip'], { cwd: dir });
    expect(single).toMatchObject({ status: 0, stderr: WARNING });
    const batch = runCli([...five, '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'out'], { cwd: dir });
    expect(batch).toMatchObject({ status: 0, stderr: WARNING, stdout: '3 of 3 packages written to out\n' });
    expect(fs.readFileSync(path.join(dir, 'out', 'd2.zip'))).toEqual(fs.readFileSync(path.join(dir, 'single.zip')));
    const resigned = runCli(['pkg', 'sign', 'single.zip', '--key-dir', 'keys', '--device', 'd1', 'resigned.zip'], { cwd: dir });
    expect(resigned).toMatchObject({ status: 0, stderr: WARNING });
    expect(fs.readFileSync(path.join(dir, 'resigned.zip'))).toEqual(fs.readFileSync(path.join(dir, 'out', 'd1.zip')));
    const signBatch = runCli(['pkg', 'sign', 'single.zip', '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'again'], { cwd: dir });
    expect(signBatch).toMatchObject({ status: 0, stderr: WARNING, stdout: '3 of 3 packages written to again\n' });
  });

  test('a batch without keys is one usage error (exit 2) before any output, as a single run without --key-dir', () => {
    for (const args of [
      ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--devices', 'devices.txt', '--out-dir', 'nokeys'],
      ['pkg', 'sign', 'single.zip', '--devices', 'devices.txt', '--out-dir', 'nokeys'],
    ]) {
      const res = runCli(args, { cwd: dir });
      expect(res).toMatchObject({ status: 2, stdout: '' });
      expect(res.stderr).toMatch(/^Error: --device needs --key-dir DIR[^\n]*\n$/);
      expect(fs.existsSync(path.join(dir, 'nokeys'))).toBe(false);
    }
    expect(runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--device', 'd1', 'x.zip'], { cwd: dir }).stderr).toMatch(/^Error: --device needs --key-dir DIR/);
  });
});
