import fs from 'node:fs';
import path from 'node:path';
import { verifyPackage } from '../src/core/packageVerify';
import { readPackageZip, writePackageZip } from '../src/core/packageZip';
import { SoftwareKey } from '../src/plugins/pemFile';
import { runCli, tempDirWith } from './helpers/cli';
import { publicKeyFromHex } from './helpers/keys';
import { createSoftHsm } from './helpers/softhsm';

const ids = Array.from({ length: 50 }, (_, i) => `dev-${String(i).padStart(3, '0')}`);
const pkgArgs = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '7'];
const keyOf = (dir: string, id: string) => SoftwareKey.fromPem(fs.readFileSync(path.join(dir, 'keys', `${id}.pem`)), id);

describe('fleet: pkg generate --devices with a key directory', () => {
  const dir = tempDirWith('app_nrf52.hex');
  // a list with a comment, a blank line, CRLF and a duplicate; dev-049 gets no key
  fs.writeFileSync(path.join(dir, 'devices.txt'), `# fleet\r\n${ids.join('\r\n')}\r\n\r\n${ids[3]}\r\n`);
  fs.writeFileSync(path.join(dir, 'keyed.txt'), ids.slice(0, 49).join('\n'));
  let batch: ReturnType<typeof runCli>;

  beforeAll(() => {
    const keys = runCli(['keys', 'generate', '--devices', 'keyed.txt', '--key-dir', 'keys'], { cwd: dir });
    expect(keys.stdout).toBe('Created 49 keys in keys\n');
    batch = runCli([...pkgArgs, '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'out', '--json'], { cwd: dir });
  });

  test('keys generate --devices leaves existing keys alone and says which; keys are 0600', () => {
    const again = runCli(['keys', 'generate', '--devices', 'devices.txt', '--key-dir', 'keys'], { cwd: dir });
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`Created 1 key in keys\nLeft 49 existing keys alone: ${ids.slice(0, 49).join(', ')}\n`);
    expect(fs.statSync(path.join(dir, 'keys', 'dev-000.pem')).mode & 0o777).toBe(0o600);
    fs.rmSync(path.join(dir, 'keys', 'dev-049.pem')); // keep dev-049 keyless for the batch tests
  });

  test('a device without a key: one line in the report, no zip, exit 1; the rest are written', () => {
    expect(batch.status).toBe(1);
    const report = JSON.parse(batch.stdout);
    expect(report).toHaveLength(50);
    expect(report.filter((d: { status: string }) => d.status === 'failed')).toEqual([
      { device: 'dev-049', status: 'failed', error: `No key for device dev-049: ${path.join('keys', 'dev-049.pem')} does not exist` },
    ]);
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(ids.slice(0, 49).map((id) => `${id}.zip`));
    expect(batch.stderr).toBe('Warning: device dev-003 is listed more than once in devices.txt; it gets one package\n');
  });

  test('every zip verifies with its own key and fails with its neighbour’s; sha256 in the report is the file’s', async () => {
    const report = JSON.parse(batch.stdout);
    for (let i = 0; i < 49; i++) {
      const zip = fs.readFileSync(path.join(dir, 'out', `${ids[i]}.zip`));
      expect((await verifyPackage(zip, ids[i], await keyOf(dir, ids[i]).publicKey())).accepted).toBe(true);
      expect((await verifyPackage(zip, ids[i], await keyOf(dir, ids[(i + 1) % 49]).publicKey())).accepted).toBe(false);
      // the README's record: device, file (the path under --out-dir as given), sha256, status
      expect(report[i]).toEqual({ device: ids[i], file: path.join('out', `${ids[i]}.zip`), sha256: require('node:crypto').createHash('sha256').update(zip).digest('hex'), status: 'ok' });
    }
  });

  test('each zip is byte for byte what a single pkg generate with that key writes', () => {
    for (const id of [ids[0], ids[17], ids[48]]) {
      expect(runCli([...pkgArgs, '--key-dir', 'keys', '--device', id, `single-${id}.zip`], { cwd: dir }).status).toBe(0);
      expect(fs.readFileSync(path.join(dir, `single-${id}.zip`))).toEqual(fs.readFileSync(path.join(dir, 'out', `${id}.zip`)));
    }
  });

  test('the text summary names the failed device; --name-template names the files', () => {
    const res = runCli([...pkgArgs, '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'named', '--name-template', 'fw-{device}-v7.zip'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe(`49 of 50 packages written to named\ndev-049: FAILED: No key for device dev-049: ${path.join('keys', 'dev-049.pem')} does not exist\n`);
    expect(fs.existsSync(path.join(dir, 'named', 'fw-dev-000-v7.zip'))).toBe(true);
  });

  test('a file that cannot be written fails its device only; no temporary files are left', () => {
    fs.mkdirSync(path.join(dir, 'blocked', 'dev-010.zip'), { recursive: true }); // a directory in the zip's place
    const res = runCli([...pkgArgs, '--devices', 'keyed.txt', '--key-dir', 'keys', '--out-dir', 'blocked'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe(`48 of 49 packages written to blocked\ndev-010: FAILED: Cannot write ${path.join('blocked', 'dev-010.zip')}: it is a directory; give a file name\n`);
    expect(fs.readdirSync(path.join(dir, 'blocked')).filter((f) => !f.endsWith('.zip'))).toEqual([]);
  });

  test('--dat-only: per-device .dat beside one shared .bin that together make the same package', async () => {
    const res = runCli([...pkgArgs, '--devices', 'keyed.txt', '--key-dir', 'keys', '--out-dir', 'dat', '--dat-only'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('49 of 49 init packets written to dat\n');
    const listing = fs.readdirSync(path.join(dir, 'dat')).sort();
    expect(listing).toEqual(['app_nrf52.bin', ...ids.slice(0, 49).map((id) => `${id}.dat`)].sort());
    for (const id of [ids[0], ids[30]]) {
      const full = await readPackageZip(fs.readFileSync(path.join(dir, 'out', `${id}.zip`)), id);
      const rebuilt = new Map(full);
      rebuilt.set('app_nrf52.bin', fs.readFileSync(path.join(dir, 'dat', 'app_nrf52.bin')));
      rebuilt.set('app_nrf52.dat', fs.readFileSync(path.join(dir, 'dat', `${id}.dat`)));
      expect(Buffer.from(await writePackageZip(rebuilt))).toEqual(fs.readFileSync(path.join(dir, 'out', `${id}.zip`)));
    }
  });

  test('keys display --devices writes dfu_public_key_{device}.c and key files that match each key', async () => {
    const res = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', '--devices', 'keyed.txt', '--key-dir', 'keys', '--out-dir', 'pub'], { cwd: dir });
    expect(res.status).toBe(0);
    for (const id of ids.slice(0, 49)) {
      const hex = fs.readFileSync(path.join(dir, 'pub', `public_key_${id}.txt`), 'utf8').split('\n').pop()!;
      expect(Buffer.from(publicKeyFromHex(hex))).toEqual(Buffer.from(await keyOf(dir, id).publicKey()));
    }
    const code = runCli(['keys', 'display', '--key', 'pk', '--format', 'code', '--devices', 'keyed.txt', '--key-dir', 'keys', '--out-dir', 'code'], { cwd: dir });
    expect(code.status).toBe(0);
    const single = runCli(['keys', 'display', '--key', 'pk', '--format', 'code', '--key-dir', 'keys', '--device', ids[5]], { cwd: dir }).stdout;
    const batchFile = fs.readFileSync(path.join(dir, 'code', `dfu_public_key_${ids[5]}.c`), 'utf8');
    const withoutTimestamp = (text: string) => text.replace(/generated by nrfutil on .*\*\//, '');
    expect(withoutTimestamp(batchFile)).toBe(withoutTimestamp(single.replace(/\n$/, '')));
  });

  test.each([
    [['--devices', 'devices.txt', '--key-dir', 'keys'], /--devices needs --out-dir DIR/],
    [['--devices', 'devices.txt', '--key-file', 'keys/dev-000.pem', '--out-dir', 'x'], /--key-file must be a template containing \{device\}/],
    [['--devices', 'nope.txt', '--key-dir', 'keys', '--out-dir', 'x'], /'--devices': File 'nope.txt' does not exist/],
    [['--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'x', '--name-template', 'same.zip'], /'--name-template'.*must contain \{device\}/],
    [['--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'x', 'one.zip'], /give --out-dir DIR instead of a ZIPFILE/],
  ])('usage errors: %j', (extra, message) => {
    const res = runCli([...pkgArgs, ...extra], { cwd: dir });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
  });
});

describe('fleet with a PKCS#11 URI template (SoftHSM2)', () => {
  test('one package per device from token keys, each verifying with its own key', async () => {
    const hsm = createSoftHsm('fleet');
    const dir = tempDirWith('app_nrf52.hex');
    const devices = ['a1', 'a2', 'a3'];
    fs.writeFileSync(path.join(dir, 'devices.txt'), devices.join('\n'));
    for (const d of devices) expect(runCli(['keys', 'generate', `pkcs11:token=fleet;object=dev-${d}`], { cwd: dir, env: hsm.env }).status).toBe(0);
    fs.appendFileSync(path.join(dir, 'devices.txt'), '\nmissing\n');
    const template = 'pkcs11:token=fleet;object=dev-{device}';
    const res = runCli([...pkgArgs, '--devices', 'devices.txt', '--key-file', template, '--out-dir', 'out'], { cwd: dir, env: hsm.env });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe("3 of 4 packages written to out\nmissing: FAILED: No key object 'dev-missing' on token 'fleet'; check object=/id= in the URI\n");
    const keys = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', '--devices', 'devices.txt', '--key-file', template, '--out-dir', 'pub'], { cwd: dir, env: hsm.env });
    expect(keys.status).toBe(1);
    for (const [i, d] of devices.entries()) {
      const pk = publicKeyFromHex(fs.readFileSync(path.join(dir, 'pub', `public_key_${d}.txt`), 'utf8').split('\n').pop()!);
      const zip = fs.readFileSync(path.join(dir, 'out', `${d}.zip`));
      expect((await verifyPackage(zip, d, pk)).accepted).toBe(true);
      const neighbour = publicKeyFromHex(fs.readFileSync(path.join(dir, 'pub', `public_key_${devices[(i + 1) % 3]}.txt`), 'utf8').split('\n').pop()!);
      expect((await verifyPackage(zip, d, neighbour)).accepted).toBe(false);
    }
  });
});
