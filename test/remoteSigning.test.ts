import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planPackage, PackageSpec } from '../src/core/dfuPackage';
import { verifyPackage } from '../src/core/packageVerify';
import { runBatch } from '../src/fleet/batch';
import type { KeyProviderFactory, ProviderContext } from '../src/plugins/keyProvider';
import { capabilitiesOf, registerKeyProvider } from '../src/plugins/registry';
import { BIN, ROOT, tempDirWith } from './helpers/cli';
import { derivedKey, SigningServer, startSigningServer } from './helpers/signingServer';
import { testSpec } from './helpers/packages';

const PLUGIN = path.join(ROOT, 'test', 'fixtures', 'providers', 'nrfutil-http-provider');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const httpSigner = (require(PLUGIN) as { provider: KeyProviderFactory }).provider;

const spec: PackageSpec = testSpec({
  applicationVersion: 3,
  bootloaderVersion: 0,
  application: { binName: 'app.bin', image: { bin: new Uint8Array(4096).fill(7), startAddress: 0x26000 } },
});
const ids = (n: number) => Array.from({ length: n }, (_, i) => `dev-${i}`);

/** Runs the CLI without blocking this process (the signing server answers from here). */
function runCliAsync(args: string[], cwd: string, onSpawn?: (child: ReturnType<typeof spawn>) => void): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    onSpawn?.(child);
  });
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
};

describe('a remote (HTTP) key provider: concurrency, timeout, cancellation', () => {
  let server: SigningServer;
  let ctx: ProviderContext;
  beforeAll(async () => {
    registerKeyProvider(httpSigner, PLUGIN);
    server = await startSigningServer();
    ctx = { env: {}, config: { providers: { 'http-signer': { url: server.url, concurrency: 4 } } }, warn: () => undefined };
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.delayMs = 0;
    server.hang.clear();
    server.maxInFlight = 0;
    server.abandoned = 0;
  });
  const batch = (devices: string[], extra: Partial<Parameters<typeof runBatch>[0]> = {}) => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-remote-'));
    const run = runBatch({ plan: planPackage(spec), devices, keyFor: (d) => ({ keyFile: `http-signer:${d}` }), options: { outDir, nameTemplate: '{device}.zip', mode: 'zip' }, ctx, ...extra });
    return { outDir, run };
  };

  test('its capabilities come from its config section', () => {
    expect(capabilitiesOf(httpSigner, ctx.config)).toEqual({ workerSafe: false, maxConcurrentSignatures: 4, label: 'HTTP signer' });
    expect(capabilitiesOf(httpSigner, {}).maxConcurrentSignatures).toBe(4);
    expect(capabilitiesOf(httpSigner, { providers: { 'http-signer': { concurrency: 2 } } }).maxConcurrentSignatures).toBe(2);
  });

  test('12 devices sign 4 at a time (its maxConcurrentSignatures), each zip verifying with its own key only', async () => {
    server.delayMs = 100;
    const { outDir, run } = batch(ids(12));
    const results = await run;
    expect(server.maxInFlight).toBe(4);
    expect(results.map((r) => [r.device, r.status])).toEqual(ids(12).map((d) => [d, 'ok']));
    for (const [i, d] of ids(12).entries()) {
      const zip = fs.readFileSync(path.join(outDir, `${d}.zip`));
      expect((await verifyPackage(zip, d, derivedKey(d).xy)).accepted).toBe(true);
      expect((await verifyPackage(zip, d, derivedKey(ids(12)[(i + 1) % 12]).xy)).accepted).toBe(false);
    }
  });

  test('a signature that never comes fails its device after the timeout; the rest are written; the request is cancelled', async () => {
    server.hang.add('dev-2');
    const { outDir, run } = batch(ids(6), { signTimeoutMs: 300 });
    const results = await run;
    expect(results.find((r) => r.device === 'dev-2')).toEqual({
      device: 'dev-2',
      status: 'failed',
      error: 'http-signer:dev-2: no signature from the HTTP signer within 0.3 s; it may be down or overloaded (raise --sign-timeout, or signTimeout in the config)',
    });
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(5);
    expect(fs.readdirSync(outDir).sort()).toEqual(['dev-0.zip', 'dev-1.zip', 'dev-3.zip', 'dev-4.zip', 'dev-5.zip']);
    await until(() => server.abandoned === 1); // the provider's fetch was aborted: the server saw it go
  });

  test('aborting the batch cancels the signatures in flight and writes nothing', async () => {
    for (const d of ids(8)) server.hang.add(d);
    const stop = new AbortController();
    const { outDir, run } = batch(ids(8), { signal: stop.signal });
    await until(() => server.inFlight === 4);
    stop.abort();
    await expect(run).rejects.toThrow('the batch was cancelled');
    await until(() => server.abandoned === 4);
    expect(server.inFlight).toBe(0);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  describe('from the CLI, with the provider and its settings in the config file', () => {
    let dir: string;
    beforeAll(() => {
      dir = tempDirWith('app_nrf52.hex');
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fw' }));
      fs.mkdirSync(path.join(dir, 'node_modules'));
      fs.symlinkSync(PLUGIN, path.join(dir, 'node_modules', 'nrfutil-http-provider'));
      fs.writeFileSync(path.join(dir, '.nrfutilrc.json'), JSON.stringify({ plugins: ['nrfutil-http-provider'], providers: { 'http-signer': { url: server.url, concurrency: 3 } } }));
      fs.writeFileSync(path.join(dir, 'devices.txt'), ids(6).join('\n'));
    });
    const generate = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1'];

    test('--sign-timeout: the hanging device fails with the timeout message, the others are written, exit 1', async () => {
      server.hang.add('dev-4');
      server.delayMs = 100;
      const res = await runCliAsync([...generate, '--devices', 'devices.txt', '--key-file', 'http-signer:{device}', '--out-dir', 'out', '--sign-timeout', '0.5'], dir);
      expect(res.stderr).toBe('');
      expect(res.stdout).toBe(
        '5 of 6 packages written to out\ndev-4: FAILED: http-signer:dev-4: no signature from the HTTP signer within 0.5 s; it may be down or overloaded (raise --sign-timeout, or signTimeout in the config)\n',
      );
      expect(res.status).toBe(1);
      expect(server.maxInFlight).toBe(3);
    });

    test('one package: the same signer, the same bytes as the batch', async () => {
      const single = await runCliAsync([...generate, '--key-file', 'http-signer:dev-1', 'one.zip'], dir);
      expect(single.status).toBe(0);
      const batchRun = await runCliAsync([...generate, '--devices', 'devices.txt', '--key-file', 'http-signer:{device}', '--out-dir', 'all'], dir);
      expect(batchRun.status).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'one.zip'))).toEqual(fs.readFileSync(path.join(dir, 'all', 'dev-1.zip')));
    });

    test('a bad --sign-timeout is a usage error before any output', async () => {
      const res = await runCliAsync([...generate, '--devices', 'devices.txt', '--key-file', 'http-signer:{device}', '--out-dir', 'never', '--sign-timeout', 'soon'], dir);
      expect(res.stderr).toBe("Error: Invalid value for '--sign-timeout': 'soon' is not a number of seconds above 0.\n");
      expect(res.status).toBe(2);
      expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
    });

    test('Ctrl-C while signatures hang: exit 130, the requests are dropped, no files left', async () => {
      for (const d of ids(6)) server.hang.add(d);
      const res = await runCliAsync([...generate, '--devices', 'devices.txt', '--key-file', 'http-signer:{device}', '--out-dir', 'stopped'], dir, (child) => {
        void until(() => server.inFlight === 3).then(() => child.kill('SIGINT'));
      });
      expect(res.status).toBe(130);
      await until(() => server.inFlight === 0);
      expect(fs.readdirSync(path.join(dir, 'stopped'))).toEqual([]);
    });
  });
});
