import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planPackage, PackageSpec } from '../src/core/dfuPackage';
import { ValidationType } from '../src/core/initPacket';
import { verifyPackage } from '../src/core/packageVerify';
import { BatchInput, runBatch } from '../src/fleet/batch';
import type { DeviceResult } from '../src/fleet/deviceOutput';
import * as workerEntryModule from '../src/fleet/workerEntry';
import { workerEntry } from '../src/fleet/workerEntry';
import { deviceKeyPath } from '../src/plugins/deviceDir';
import type { KeyProviderFactory } from '../src/plugins/keyProvider';
import { SoftwareKey, writePrivateKeyPem } from '../src/plugins/pemFile';
import { registerKeyProvider } from '../src/plugins/registry';
import { ROOT, runCli, tempDirWith } from './helpers/cli';
import { testSpec } from './helpers/packages';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `dev-${String(i).padStart(2, '0')}`);
const spec = (fill: number): PackageSpec => testSpec({
  applicationVersion: 3,
  bootloaderVersion: 0,
  appBootValidation: ValidationType.VALIDATE_ECDSA_P256_SHA256,
  application: { binName: 'app.bin', image: { bin: new Uint8Array(8192).fill(fill), startAddress: 0x26000 } },
});

/** Every file of a directory with the SHA-256 of its bytes. */
const contents = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')]));

describe('the batch worker-thread path runs from the sources under jest', () => {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-keys-'));
  const devices = ids(12);
  beforeAll(async () => {
    // the last device has no key
    for (const d of devices.slice(0, -1)) await writePrivateKeyPem(deviceKeyPath(keyDir, d), SoftwareKey.generate(d));
  });
  afterEach(() => jest.restoreAllMocks());

  const run = async (extra: Partial<BatchInput>) => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-batch-'));
    const finished: string[] = [];
    const results = await runBatch({
      plan: planPackage(spec(1)),
      devices,
      keyFor: (device) => ({ keyDir, device }),
      options: { outDir, nameTemplate: '{device}.zip', mode: 'zip' },
      ctx: { env: {}, config: {}, warn: () => undefined },
      onResult: (r) => finished.push(r.device),
      ...extra,
    });
    return { outDir, results, finished };
  };

  test('the worker module is found as TypeScript from src, as JavaScript in the build', () => {
    expect(workerEntry('softwareWorker')).toEqual({ file: path.join(ROOT, 'src', 'fleet', 'softwareWorker.ts'), typescript: true });
    expect(workerEntry('softwareWorker', path.join(ROOT, 'dist', 'bundle'))).toEqual({ file: path.join(ROOT, 'dist', 'bundle', 'softwareWorker.js'), typescript: false });
    expect(workerEntry('softwareWorker', path.join(ROOT, 'dist', 'fleet')).typescript).toBe(false);
    expect(() => workerEntry('noSuchWorker')).toThrow(/the noSuchWorker worker is missing .*; rebuild nrfutil-ts/);
  });

  test('two threads write the same files and report as one device after another', async () => {
    const serial = await run({ workers: 1 });
    const started = jest.spyOn(workerEntryModule, 'startWorker');
    const threaded = await run({ workers: 2, devicesPerWorker: 1 });
    expect(started).toHaveBeenCalledTimes(2);
    expect(threaded.results).toEqual(serial.results);
    expect((await run({ workers: 0 })).results).toEqual(serial.results); // 0, "this thread", counts as 1
    expect(contents(threaded.outDir)).toEqual(contents(serial.outDir));
    expect(serial.results.map((r) => r.device)).toEqual(devices);
    expect(serial.results.at(-1)).toEqual({ device: 'dev-11', status: 'failed', error: `No key for device dev-11: ${deviceKeyPath(keyDir, 'dev-11')} does not exist` });
    const zip = fs.readFileSync(path.join(threaded.outDir, 'dev-03.zip'));
    const key = SoftwareKey.fromPem(fs.readFileSync(deviceKeyPath(keyDir, 'dev-03')), 'dev-03');
    expect((await verifyPackage(zip, 'dev-03', await key.publicKey())).accepted).toBe(true);
  });

  test('each device its own plan (planFor): threads give the serial run’s files, report and warnings order', async () => {
    const planned: string[] = [];
    const planFor = (device: string) => {
      planned.push(device);
      if (device === 'dev-05') throw new Error('build/dev-05/app.hex does not exist');
      return planPackage(spec(Number(device.slice(4)) + 1));
    };
    const serial = await run({ plan: undefined, planFor, workers: 1 });
    const serialOrder = planned.splice(0);
    const threaded = await run({ plan: undefined, planFor, workers: 2, devicesPerWorker: 1 });
    expect(planned).toEqual(serialOrder);
    expect(planned).toEqual(devices);
    expect(threaded.results).toEqual(serial.results);
    expect(contents(threaded.outDir)).toEqual(contents(serial.outDir));
    expect(serial.results[5]).toEqual({ device: 'dev-05', status: 'failed', error: 'build/dev-05/app.hex does not exist' });
  });

  test('a third-party provider that declares workerSafe is loaded again inside the threads', async () => {
    const source = path.join(ROOT, 'test', 'fixtures', 'providers', 'nrfutil-memory-provider', 'index.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    registerKeyProvider((require(source) as { provider: KeyProviderFactory }).provider, source);
    const memory = { keyFor: (device: string) => ({ keyFile: `memory:${device}` }) };
    const serial = await run({ ...memory, workers: 1 });
    const started = jest.spyOn(workerEntryModule, 'startWorker');
    const threaded = await run({ ...memory, workers: 2, devicesPerWorker: 1 });
    expect(started).toHaveBeenCalledTimes(2);
    expect(threaded.results.map((r: DeviceResult) => [r.device, r.status])).toEqual(serial.results.map((r) => [r.device, 'ok']));
    // this provider's signatures are randomised (not RFC 6979): each zip verifies with its key instead
    const memoryKey = async (device: string) => (await (require(source) as { provider: KeyProviderFactory }).provider.open({ keyFile: `memory:${device}` }, { env: {}, config: {}, warn: () => undefined })).publicKey();
    for (const d of devices) expect((await verifyPackage(fs.readFileSync(path.join(threaded.outDir, `${d}.zip`)), d, await memoryKey(d))).accepted).toBe(true);
  });
});

describe('per-device inputs ({device} paths) sign concurrently with the serial run’s outputs', () => {
  const dir = tempDirWith('app_nrf52.hex');
  const devices = ids(40);
  beforeAll(() => {
    fs.writeFileSync(path.join(dir, 'devices.txt'), devices.join('\n'));
    expect(runCli(['keys', 'generate', '--devices', 'devices.txt', '--key-dir', 'keys'], { cwd: dir }).status).toBe(0);
    fs.mkdirSync(path.join(dir, 'in'));
    // four firmware versions, spread over the devices: each device its own input file
    for (let v = 0; v < 4; v++) {
      const res = runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', String(v), `v${v}.zip`], { cwd: dir });
      expect(res.status).toBe(0);
    }
    for (const [i, d] of devices.entries()) fs.copyFileSync(path.join(dir, `v${i % 4}.zip`), path.join(dir, 'in', `${d}.zip`));
    fs.rmSync(path.join(dir, 'in', 'dev-07.zip'));
  });

  test('pkg sign in/{device}.zip --devices: NRFUTIL_JOBS=1 and the default give the same files and report', () => {
    const args = (out: string) => ['pkg', 'sign', 'in/{device}.zip', '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', out, '--json'];
    const serial = runCli(args('serial'), { cwd: dir, env: { NRFUTIL_JOBS: '1' } });
    const concurrent = runCli(args('concurrent'), { cwd: dir });
    expect(concurrent.status).toBe(1);
    expect(serial.status).toBe(1);
    expect(concurrent.stderr).toBe(serial.stderr);
    expect(concurrent.stdout.replace(/concurrent/g, 'OUT')).toBe(serial.stdout.replace(/serial/g, 'OUT'));
    const report = JSON.parse(concurrent.stdout) as { devices: DeviceResult[] };
    expect(report.devices.map((r) => r.device)).toEqual(devices);
    expect(report.devices[7]).toEqual({ device: 'dev-07', status: 'failed', error: "Invalid value for 'IN_ZIP': File 'in/dev-07.zip' does not exist." });
    expect(contents(path.join(dir, 'concurrent'))).toEqual(contents(path.join(dir, 'serial')));
    expect(Object.keys(contents(path.join(dir, 'serial')))).toHaveLength(39);
  });
});
