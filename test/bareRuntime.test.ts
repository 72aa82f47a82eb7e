/**
 * The browser bundle in a JavaScript runtime that is neither Node nor a browser: a bare
 * V8 context holding only what React Native also provides (TextEncoder/TextDecoder,
 * timers, setImmediate, `global`); no process, Buffer, require, window or document.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { input, ROOT } from './helpers/cli';

test('the bundle builds and verifies a signed package with no Node and no DOM', async () => {
  const context = vm.createContext({ TextEncoder, TextDecoder, setTimeout, clearTimeout, setImmediate, queueMicrotask });
  vm.runInContext('var global = globalThis;', context);
  vm.runInContext(fs.readFileSync(path.join(ROOT, 'web', 'lib', 'nrfutil-core.js'), 'utf8'), context);
  expect(vm.runInContext('[typeof process, typeof Buffer, typeof require, typeof window, typeof document].join()', context)).toBe('undefined,undefined,undefined,undefined,undefined');
  context.pem = input('key_a.pem').toString('utf8');
  context.firmware = Array.from(input('app_aligned.bin'));
  const result = await vm.runInContext(
    `(async () => {
      const core = nrfutilCore;
      const key = core.pemKey(pem);
      const zip = await core.createPackage({ hwVersion: 52, sdReq: [0xca], applicationVersion: 1, application: { name: 'app.bin', data: new Uint8Array(firmware) }, key });
      const verdict = await core.verifyPackage(zip, pem, 'app.zip');
      return { ok: verdict.ok, text: verdict.text, display: await core.displayPackage(zip, 'app.zip') };
    })()`,
    context,
  );
  expect(result.ok).toBe(true);
  expect(result.text).toBe(`application           app.bin: ok (${input('app_aligned.bin').length} bytes, hash ok, signature valid)\napp.zip: the bootloader would accept this package\n`);
  expect(result.display).toContain('|- signature_type: ECDSA_P256_SHA256');
});
