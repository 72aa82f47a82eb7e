/**
 * The package as a user gets it: `npm pack`, installed into an empty project, then the
 * README's Node examples run there as written (`require('nrfutil-ts')` and
 * `import … from 'nrfutil-ts/core'`), with TypeScript finding the types of both.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runCli, tempDirWith } from './helpers/cli';
import { readmeExample } from './helpers/readmeExamples';

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
const node = (args: string[], cwd: string) => execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });

let project: string;

beforeAll(() => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-pack-'));
  // dist/ is fresh (test/globalSetup builds it): pack without running prepare again.
  const tarball = npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', work], ROOT).trim().split('\n').pop()!;
  project = path.join(work, 'app');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', path.join(work, tarball)], project);
  fs.copyFileSync(path.join(ROOT, 'test/fixtures/conformance/inputs/key_a.pem'), path.join(project, 'private.pem'));
  fs.copyFileSync(path.join(ROOT, 'test/fixtures/conformance/inputs/app_nrf52.hex'), path.join(project, 'app.hex'));
}, 300_000);

test('require("nrfutil-ts"): the README\'s Node example writes the CLI\'s package', () => {
  fs.writeFileSync(path.join(project, 'library-example.cjs'), readmeExample('library-example.cjs'));
  const out = node(['library-example.cjs'], project);
  expect(out).toContain('DFU Package: <app_dfu.zip>:');
  expect(out).toContain('app_dfu.zip: the bootloader would accept this package\n');

  const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
  fs.renameSync(path.join(dir, 'app_nrf52.hex'), path.join(dir, 'app.hex'));
  runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0x0101', '--application-version', '1', '--application', 'app.hex', '--key-file', 'key_a.pem', 'cli.zip'], { cwd: dir });
  expect(fs.readFileSync(path.join(project, 'app_dfu.zip')).equals(fs.readFileSync(path.join(dir, 'cli.zip')))).toBe(true);

  // The Node entry point has the Node parts too.
  const names = node(['-e', "const n = require('nrfutil-ts'); console.log(['SoftwareKey', 'openKeyProvider', 'registerKeyProvider', 'runBatch', 'readFirmwareFile', 'createPackage'].map((k) => typeof n[k]).join())"], project);
  expect(names.trim()).toBe('function,function,function,function,function,function');
});

test('import from "nrfutil-ts/core": the README\'s ES module example runs', () => {
  fs.writeFileSync(path.join(project, 'library-example.mjs'), readmeExample('library-example.mjs'));
  const [records, title, hex] = node(['library-example.mjs'], project).split('\n');
  expect(records).toMatch(/^\d+ Intel HEX records$/);
  const cli = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', 'key_a.pem'], { cwd: tempDirWith('key_a.pem') }).stdout;
  expect(`${title}\n${hex}\n`).toBe(cli);
});

test('TypeScript finds the types of both entry points', () => {
  fs.writeFileSync(
    path.join(project, 'check.mts'),
    [
      "import { createPackage, type CreatePackageOptions } from 'nrfutil-ts/core';",
      "import { SoftwareKey, type KeyProvider, type KeyProviderFactory } from 'nrfutil-ts';",
      'const options: CreatePackageOptions = { hwVersion: 52, sdReq: [1] };',
      'const factory: KeyProviderFactory | undefined = undefined;',
      'const provider: KeyProvider | undefined = undefined;',
      'export const used = [createPackage, options, SoftwareKey, factory, provider];',
      '',
    ].join('\n'),
  );
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  node([tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), 'check.mts'], project);
});
