/**
 * nrfutil-ts/core must run where Node's built-ins do not exist (browsers, web workers,
 * React Native): every module under src/core is loaded here with each built-in made to
 * throw on require and `Buffer` undefined, and the library API is then used in that
 * state and compared with the command line's output for the same inputs.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { input, ROOT, runCli, tempDirWith } from './helpers/cli';

type Core = typeof import('../src/core/index');

const CORE_DIR = path.join(ROOT, 'src', 'core');
const coreModules = fs.readdirSync(CORE_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const realBuffer = globalThis.Buffer;
const refused: string[] = [];

/** Loads `load` in a fresh module registry where every Node built-in throws on require. */
function withoutNode<T>(load: () => T): T {
  let result: T | undefined;
  jest.isolateModules(() => {
    for (const name of builtinModules.filter((m) => !m.startsWith('_'))) {
      for (const id of [name, `node:${name}`]) {
        jest.doMock(id, () => {
          // A dependency may probe for a built-in and carry on without it (protobufjs
          // looks for fs); a require from our own code is what this test forbids.
          const requirer = new Error().stack?.split('\n').find((l) => /\((\/|[A-Z]:)/.test(l) && !/jest-runtime|portableCore/.test(l)) ?? '';
          if (!requirer.includes('node_modules')) refused.push(`${id} (${requirer.trim()})`);
          throw new Error(`core required the Node built-in '${id}'`);
        });
      }
    }
    // Dependencies resolve as a bundler for browsers resolves them (their package.json
    // "browser" fields): jszip's browser build, noble's crypto without node:crypto.
    jest.doMock('jszip', () => jest.requireActual('jszip/dist/jszip.min.js'));
    jest.doMock('@noble/hashes/crypto', () => jest.requireActual(path.join(ROOT, 'node_modules/@noble/hashes/crypto.js')));
    result = load();
  });
  return result!;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const bytesOf = (b: Buffer) => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const keyA = input('key_a.pem').toString('utf8');
const file = (name: string) => ({ name, data: bytesOf(input(name)) });

/** Runs the CLI on copies of `inputs` and returns the bytes of the file it wrote. */
function cliOutput(args: string[], inputs: string[], output: string): Uint8Array {
  const dir = tempDirWith(...inputs);
  const res = runCli([...args, output], { cwd: dir });
  expect(res.stderr).toBe('');
  return bytesOf(fs.readFileSync(path.join(dir, output)));
}

let core: Core;

beforeAll(() => {
  (globalThis as { Buffer?: unknown }).Buffer = undefined;
});
afterAll(() => {
  globalThis.Buffer = realBuffer;
});

describe('src/core without Node built-ins', () => {
  test.each(coreModules)('%s loads', (name) => {
    withoutNode(() => require(path.join(CORE_DIR, name)));
    expect(refused).toEqual([]);
  });

  test('the library builds, reads and verifies packages in that state', async () => {
    core = withoutNode(() => require('../src/core/index') as Core);
    const key = core.pemKey(keyA, 'key_a.pem');
    const zip = await core.createPackage({ hwVersion: 52, sdReq: [0xca], applicationVersion: 1, application: file('app_nrf52.hex'), key });
    expect(zip.constructor).toBe(Uint8Array);
    expect((await core.verifyPackage(zip, await key.publicKey())).ok).toBe(true);
    expect(refused).toEqual([]);
    expect(globalThis.Buffer).toBeUndefined();
  });
});

describe('the library gives the command line\'s bytes', () => {
  beforeAll(() => {
    core ??= withoutNode(() => require('../src/core/index') as Core);
  });

  test('signed application package from a .hex and a PEM key', async () => {
    const zip = await core.createPackage({ hwVersion: 52, sdReq: [0xca], applicationVersion: 1, application: file('app_nrf52.hex'), key: core.pemKey(keyA) });
    const cli = cliOutput(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application-version', '1', '--application', 'app_nrf52.hex', '--key-file', 'key_a.pem'], ['app_nrf52.hex', 'key_a.pem'], 'app.zip');
    expect(hex(zip)).toBe(hex(cli));
  });

  test('SoftDevice + bootloader package from .hex files', async () => {
    const zip = await core.createPackage({ hwVersion: 52, sdReq: [0xca], softdevice: file('sd_s1x0.hex'), bootloader: file('bl_nrf52.hex'), bootloaderVersion: 2, key: core.pemKey(keyA) });
    const cli = cliOutput(
      ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--softdevice', 'sd_s1x0.hex', '--bootloader', 'bl_nrf52.hex', '--bootloader-version', '2', '--key-file', 'key_a.pem'],
      ['sd_s1x0.hex', 'bl_nrf52.hex', 'key_a.pem'],
      'sdbl.zip',
    );
    expect(hex(zip)).toBe(hex(cli));
  });

  test('unsigned .bin package with options in camelCase', async () => {
    const zip = await core.createPackage({ debugMode: true, application: file('app_odd.bin'), applicationVersionString: '1.2.3', appBootValidation: 'VALIDATE_GENERATED_SHA256' });
    const cli = cliOutput(['pkg', 'generate', '--debug-mode', '--application', 'app_odd.bin', '--application-version-string', '1.2.3', '--app-boot-validation', 'VALIDATE_GENERATED_SHA256'], ['app_odd.bin'], 'odd.zip');
    expect(hex(zip)).toBe(hex(cli));
  });

  test('displayPackage is pkg display\'s text; verifyPackage is pkg verify\'s verdict', async () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application-version', '1', '--application', 'app_nrf52.hex', '--key-file', 'key_a.pem', 'app.zip'], { cwd: dir });
    const zip = bytesOf(fs.readFileSync(path.join(dir, 'app.zip')));
    expect(await core.displayPackage(zip, 'app.zip')).toBe(runCli(['pkg', 'display', 'app.zip'], { cwd: dir }).stdout);

    const right = await core.verifyPackage(zip, keyA, 'app.zip');
    expect(right.ok).toBe(true);
    expect(right.text).toBe(runCli(['pkg', 'verify', 'app.zip', '--key-file', 'key_a.pem'], { cwd: dir }).stdout);

    const neighbour = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    fs.writeFileSync(path.join(dir, 'neighbour.pem'), neighbour);
    const wrong = await core.verifyPackage(zip, neighbour, 'app.zip');
    expect(wrong.ok).toBe(false);
    expect(wrong.images[0].signature).toBe('other-key');
    expect(wrong.text).toBe(runCli(['pkg', 'verify', 'app.zip', '--key-file', 'neighbour.pem'], { cwd: dir }).stdout);
  });

  test('readPackage decodes the manifest\'s images and their init packets', async () => {
    const zip = await core.createPackage({ hwVersion: 52, sdReq: [0xca, 0x100], applicationVersion: 7, application: file('app_nrf52.hex') });
    const pkg = await core.readPackage(zip);
    expect(pkg.images.map((i) => [i.kind, i.binFile, i.datFile])).toEqual([['application', 'app_nrf52.bin', 'app_nrf52.dat']]);
    expect(pkg.images[0].packet.init).toMatchObject({ fwVersion: 7, hwVersion: 52, type: core.FwType.APPLICATION });
    expect(pkg.images[0].packet.signed).toBeUndefined();
  });

  test('createSettings writes settings generate\'s hex', async () => {
    const text = await core.createSettings({ family: 'NRF52', application: file('app_nrf52.hex'), applicationVersion: 3, bootloaderVersion: 2, blSettingsVersion: 2, appBootValidation: 'VALIDATE_ECDSA_P256_SHA256', key: core.pemKey(keyA) });
    const cli = cliOutput(
      ['settings', 'generate', '--family', 'NRF52', '--application', 'app_nrf52.hex', '--application-version', '3', '--bootloader-version', '2', '--bl-settings-version', '2', '--app-boot-validation', 'VALIDATE_ECDSA_P256_SHA256', '--key-file', 'key_a.pem'],
      ['app_nrf52.hex', 'key_a.pem'],
      'settings.hex',
    );
    expect(text).toBe(new TextDecoder().decode(cli));
  });

  test.each(['pem', 'hex', 'code', 'dbgcode'] as const)('publicKeyCode(%s) is keys display --key pk\'s text', (format) => {
    const now = new Date();
    const text = core.publicKeyCode(keyA, format, now);
    const cli = runCli(['keys', 'display', '--key', 'pk', '--format', format, 'key_a.pem'], { cwd: tempDirWith('key_a.pem') }).stdout;
    // The code formats carry the time: compare with the clock's second blanked out.
    const unstamped = (s: string) => s.replace(/at \d\d:\d\d:\d\d/, 'at TIME').replace(/on \d{4}-\d\d-\d\d/, 'on DATE');
    expect(unstamped(cli)).toBe(unstamped(text + '\n'));
    if (format === 'pem' || format === 'hex') expect(hex(core.publicKeyFromText(text))).toBe(hex(core.publicKeyFromText(keyA)));
  });

  test('warnings go to onWarning, never to the console', async () => {
    const warnings: string[] = [];
    const log = jest.spyOn(console, 'log');
    await core.createPackage({ hwVersion: 52, sdReq: Array.from({ length: 17 }, (_, i) => i + 1), applicationVersion: 1, applicationVersionString: '1.0.0', application: file('app_odd.bin'), onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      'When both application-version-string and application-version are provided, only the string will be used.',
      'app_odd.dat will have 17 sd_req entries, the bootloader accepts at most 16; the nRF5 bootloader will reject this package.',
    ]);
    expect(log).not.toHaveBeenCalled();
  });

  test('errors are typed, carry a code and name the bad input', async () => {
    await expect(core.createPackage({ sdReq: [0xca], application: file('app_nrf52.hex'), applicationVersion: 1 })).rejects.toMatchObject({ code: 'NRFUTIL_INVALID_OPTIONS', message: '--hw-version required.' });
    await expect(core.createPackage({ hwVersion: -1, sdReq: [0xca] })).rejects.toMatchObject({ code: 'NRFUTIL_INVALID_OPTIONS', message: expect.stringContaining("'hwVersion'") });
    await expect(core.createPackage({ hwVersion: 52, sdReq: [1], applicationVersion: 1, application: { name: 'app.hex', data: new TextEncoder().encode('nonsense') } })).rejects.toBeInstanceOf(core.NrfutilError);
    expect(() => core.pemKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', 'mykey.pem')).toThrow(/^mykey\.pem: /);
    const publicOnly = core.pemKey(core.publicKeyCode(keyA, 'pem'));
    await expect(publicOnly.sign(Uint8Array.of(1))).rejects.toMatchObject({ code: 'NRFUTIL_INVALID_KEY' });
    await expect(core.readPackage(Uint8Array.of(1, 2, 3), 'x.zip')).rejects.toMatchObject({ code: 'NRFUTIL_INVALID_INPUT', message: expect.stringMatching(/^x\.zip: /) });
  });
});
