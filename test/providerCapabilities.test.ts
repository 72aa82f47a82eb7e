import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KeyProviderFactory } from '../src/plugins/keyProvider';
import { capabilitiesOf, factoryFor, hasKey, listKeyProviders, openKeyProvider, registerKeyProvider } from '../src/plugins/registry';
import { runCli, tempDirWith } from './helpers/cli';

const ctx = { env: {}, config: {}, warn: () => undefined };

describe('key providers declare what they can do', () => {
  test('the built-ins: PEM files are worker-safe, a PKCS#11 token signs one at a time', () => {
    const caps = Object.fromEntries(listKeyProviders().map((f) => [f.name, capabilitiesOf(f)]));
    expect(caps['pem-file']).toEqual({ workerSafe: true, maxConcurrentSignatures: os.availableParallelism(), label: 'PEM file' });
    expect(caps['device-dir']).toEqual({ workerSafe: true, maxConcurrentSignatures: os.availableParallelism(), label: 'key directory' });
    expect(caps.pkcs11).toEqual({ workerSafe: false, maxConcurrentSignatures: 1, label: 'PKCS#11 token' });
  });

  test('a plugin that declares nothing is taken as not worker-safe, one signature at a time', () => {
    const bare: KeyProviderFactory = { name: 'bare', accepts: (ref) => ref.keyFile === 'bare:', open: async () => ({ label: 'bare:', publicKey: async () => new Uint8Array(64) }) };
    registerKeyProvider(bare);
    expect(capabilitiesOf(factoryFor({ keyFile: 'bare:' }))).toEqual({ workerSafe: false, maxConcurrentSignatures: 1, label: 'bare key provider' });
  });

  test('hasKey: files and key directories say whether the key is there; a token cannot tell cheaply', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-haskey-'));
    fs.writeFileSync(path.join(dir, 'dev-1.pem'), '');
    expect(await hasKey({ keyDir: dir, device: 'dev-1' }, ctx)).toBe(true);
    expect(await hasKey({ keyDir: dir, device: 'dev-2' }, ctx)).toBe(false);
    expect(await hasKey({ keyFile: path.join(dir, 'dev-1.pem') }, ctx)).toBe(true);
    expect(await hasKey({ keyFile: path.join(dir, 'none.pem') }, ctx)).toBe(false);
    expect(await hasKey({ keyFile: 'pkcs11:token=t;object=o' }, ctx)).toBeUndefined();
  });

  test('a factory is handed its own config section as ctx.settings', async () => {
    let seen: unknown;
    registerKeyProvider({ name: 'spy', accepts: (ref) => ref.keyFile === 'spy:', open: async (_ref, c) => ((seen = c.settings), { label: 'spy:', publicKey: async () => new Uint8Array(64) }) });
    await openKeyProvider({ keyFile: 'spy:' }, { ...ctx, config: { providers: { spy: { region: 'eu' }, other: { x: 1 } } } });
    expect(seen).toEqual({ region: 'eu' });
    await openKeyProvider({ keyFile: 'spy:' }, ctx);
    expect(seen).toEqual({});
  });
});

describe('providers sections in the config file', () => {
  const project = (config: object) => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fw' }));
    fs.writeFileSync(path.join(dir, '.nrfutilrc.json'), JSON.stringify(config));
    return dir;
  };
  const display = ['keys', 'display', '--key', 'pk', '--format', 'hex', '--device', 'd1'];

  test('providers["device-dir"].dir serves a bare --device, relative to the config file', () => {
    const dir = project({ providers: { 'device-dir': { dir: 'keys' } } });
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'keys', 'd1.pem'));
    fs.mkdirSync(path.join(dir, 'sub'));
    const res = runCli(display, { cwd: path.join(dir, 'sub') });
    expect(res.stderr).toBe('');
    expect(res.stdout).toBe(runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', 'key_a.pem'], { cwd: dir }).stdout);
  });

  test('a section for a provider nobody registered, or with a wrong setting, is one line naming the file', () => {
    const unknown = runCli(display, { cwd: project({ providers: { vault: { url: 'x' } } }) });
    expect(unknown.stderr).toMatch(/^Error: Config .*\.nrfutilrc\.json: providers\.vault: no key provider is called "vault" \(known: pem-file, device-dir, pkcs11\)\n$/);
    expect(unknown.status).toBe(1);
    const wrong = runCli(display, { cwd: project({ providers: { pkcs11: { modul: 'x' } } }) });
    expect(wrong.stderr).toMatch(/^Error: Config .*: unknown setting "providers\.pkcs11\.modul" \(known: module, token, object\)\n$/);
    const old = runCli(display, { cwd: project({ pkcs11: { token: 3 } }) });
    expect(old.stderr).toMatch(/^Error: Config .*: pkcs11\.token must be a string\n$/);
    const provider = runCli(display, { cwd: project({ provider: 'vault' }) });
    expect(provider.stderr).toMatch(/^Error: Config .*: provider must be pem-file, device-dir or pkcs11\n$/);
    const timeout = runCli(display, { cwd: project({ signTimeout: 'soon' }) });
    expect(timeout.stderr).toMatch(/^Error: Config .*: signTimeout must be a number of seconds above 0\n$/);
  });
});
