import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runCli, tempDirWith } from './helpers/cli';

// The CLI runs from the one-file bundle (dist/bundle/cli.js, built by test/globalSetup.js
// as by `npm run build`) with a V8 code cache made at build time (bin/bundleLoader.js).
const LOADER = path.join(ROOT, 'bin', 'bundleLoader.js');
const BUNDLE = path.join(ROOT, 'dist', 'bundle', 'cli.js');

/** Loads a bundle with a cache file in a fresh node: whether the cache was used, and the command ids it exports. */
function loadIn(bundle: string, cache: string): { cacheUsed: boolean; commands: string[] } {
  const script = `const r = require(${JSON.stringify(LOADER)}).loadBundle({ bundle: ${JSON.stringify(bundle)}, cache: ${JSON.stringify(cache)} });
    process.stdout.write(JSON.stringify({ cacheUsed: r.cacheUsed, commands: Object.keys(r.exports.COMMANDS) }));`;
  const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout);
}

/** A copy of the built bundle and its cache in a temporary directory beside nothing else. */
function bundleCopy(): { dir: string; bundle: string; cache: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-bundle-'));
  const bundle = path.join(dir, 'cli.js');
  fs.copyFileSync(BUNDLE, bundle);
  fs.copyFileSync(`${BUNDLE}.cache`, `${bundle}.cache`);
  return { dir, bundle, cache: `${bundle}.cache` };
}

describe('start-up: the bundle and its code cache', () => {
  const commandIds = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')).commands).sort();

  test('the build made a code cache that this node uses', () => {
    const { bundle, cache } = bundleCopy();
    const loaded = loadIn(bundle, cache);
    expect(loaded.cacheUsed).toBe(true);
    expect(loaded.commands.sort()).toEqual(commandIds);
  });

  test('a stale cache (the bundle changed since) is ignored, and the bundle still runs', () => {
    const { bundle, cache } = bundleCopy();
    fs.appendFileSync(bundle, '\n;// changed\n');
    const loaded = loadIn(bundle, cache);
    expect(loaded.cacheUsed).toBe(false);
    expect(loaded.commands.sort()).toEqual(commandIds);
  });

  test('a foreign cache (made by another node) or a damaged one is ignored', () => {
    const { bundle, cache } = bundleCopy();
    const bytes = fs.readFileSync(cache);
    const headerEnd = bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 1;
    const header = JSON.parse(bytes.subarray(bytes.indexOf(0x0a) + 1, headerEnd - 1).toString());
    expect(header.node).toBe(process.version);
    const foreign = Buffer.from(bytes.subarray(0, headerEnd).toString().replace(process.version, 'v99.0.0'));
    fs.writeFileSync(cache, Buffer.concat([foreign, bytes.subarray(headerEnd)]));
    expect(loadIn(bundle, cache).cacheUsed).toBe(false);
    // right header, wrong data: V8 rejects it
    fs.writeFileSync(cache, Buffer.concat([bytes.subarray(0, headerEnd), Buffer.alloc(4096, 7)]));
    expect(loadIn(bundle, cache).cacheUsed).toBe(false);
    fs.writeFileSync(cache, bytes.subarray(0, 10));
    expect(loadIn(bundle, cache)).toEqual({ cacheUsed: false, commands: expect.arrayContaining(commandIds) });
  });

  test('every command\'s --help works from the bundle', () => {
    expect(commandIds.length).toBeGreaterThanOrEqual(8);
    for (const id of commandIds) {
      const res = runCli([...id.split(':'), '--help']);
      expect({ id, status: res.status, stderr: res.stderr }).toEqual({ id, status: 0, stderr: '' });
      expect(res.stdout).toMatch(/USAGE\n {2}\$ nrfutil /);
    }
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/TOPICS[\s\S]*keys[\s\S]*pkg[\s\S]*settings/);
    expect(runCli(['pkg', '--help']).stdout).toMatch(/pkg generate/);
  });

  test('help and the common commands load no JavaScript file but the bin and the bundle, and no costly built-in they do not use', () => {
    const dir = tempDirWith('key_a.pem');
    fs.writeFileSync(path.join(dir, 'app.bin'), Buffer.alloc(4096, 1));
    // a preload that records every file node compiles and every built-in it loads
    const probe = path.join(dir, 'probe.js');
    fs.writeFileSync(probe, `const M = require('module'); const compiled = []; const c = M.prototype._compile;
      M.prototype._compile = function (code, file) { compiled.push(file); return c.apply(this, arguments); };
      process.on('exit', () => process.stderr.write('@@' + JSON.stringify({ compiled, builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) })));`);
    const bin = path.join(ROOT, 'bin', 'run.js');
    const runs = [
      ['--help'],
      ['pkg', 'generate', '--help'],
      ['version'],
      ['keys', 'display', '--key', 'pk', '--format', 'code', 'key_a.pem'],
      ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0x0101', '--application-version', '1', '--application', 'app.bin', '--key-file', 'key_a.pem', 'app.zip'],
    ];
    for (const argv of runs) {
      // as a user runs it: jest's NODE_ENV=test puts oclif in development mode (it loads typescript for help)
      const env = { ...process.env };
      delete env.NODE_ENV;
      const res = spawnSync(process.execPath, ['-r', probe, bin, ...argv], { cwd: dir, encoding: 'utf8', env });
      expect({ argv, status: res.status }).toEqual({ argv, status: 0 });
      const { compiled, builtins } = JSON.parse(res.stderr.slice(res.stderr.lastIndexOf('@@') + 2)) as { compiled: string[]; builtins: string[] };
      expect({ argv, compiled: compiled.filter((f) => f !== probe) }).toEqual({ argv, compiled: [bin, LOADER] });
      // child_process (with net and dgram, ~2 ms), readline and perf_hooks (oclif's DEBUG
      // tracing): only on the paths that use them
      expect({ argv, costly: builtins.filter((m) => ['child_process', 'readline', 'perf_hooks'].includes(m)) }).toEqual({ argv, costly: [] });
    }
  });

  test('a config file .mjs still loads (import() from code restored out of the cache)', () => {
    const dir = tempDirWith('key_a.pem');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fw' }));
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'keys', 'dev-1.pem'));
    fs.writeFileSync(path.join(dir, 'nrfutil.config.mjs'), "export default { provider: 'device-dir', keyDir: 'keys' };\n");
    const viaConfig = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', '--device', 'dev-1'], { cwd: dir });
    expect(viaConfig.stderr).toBe('');
    expect(viaConfig.status).toBe(0);
    const direct = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', 'key_a.pem'], { cwd: dir });
    expect(viaConfig.stdout).toBe(direct.stdout);
    // and a mistake in it is still reported as one line naming the file
    fs.writeFileSync(path.join(dir, 'nrfutil.config.mjs'), "export default { keyDirectory: 'keys' };\n");
    const bad = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', '--device', 'dev-1'], { cwd: dir });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^Error: Config .*nrfutil\.config\.mjs: unknown setting "keyDirectory"/);
  });

  test("DEBUG still turns on oclif's debug output (the bundle loads `debug` only then)", () => {
    const quiet = runCli(['version']);
    expect(quiet.stderr).toBe('');
    const loud = runCli(['version'], { env: { DEBUG: 'oclif*' } });
    expect(loud.status).toBe(0);
    expect(loud.stderr).toMatch(/oclif/);
  });

  test('npm run bench:startup runs every case, the two floors and the machine-environment pair, and says whether the target is met', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_RUNS: '1', NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '/dev/null' };
    delete env.NODE_ENV;
    delete env.BENCH_FLOORS;
    delete env.BENCH_KEEP_ENV;
    const res = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'benchStartup.js')], { encoding: 'utf8', env, timeout: 120_000 });
    expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: '' });
    for (const name of ['node -e 0 (bare)', 'pkg generate (200 KB, signed)', 'keys display --format code', 'settings generate', 'version', '--help',
      'node -e 0 (bare) [machine env]', 'pkg generate [machine env]', 'floor: Node built-ins only', 'floor: one-command oclif CLI'])
      expect(res.stdout).toMatch(new RegExp(`^${name.replace(/[()[\]+.]/g, '\\$&')} +\\d+\\.\\d `, 'm'));
    expect(res.stdout).toMatch(/^pkg generate peak RSS: \d+\.\d MB/m);
    expect(res.stdout).toMatch(/^target: pkg generate, keys display, settings generate <= 1\.6x bare node \(wall\): (met|NOT met) \(worst \d+\.\d\dx\)$/m);
    expect(res.stdout).toMatch(/^with the machine's environment \(NODE_EXTRA_CA_CERTS kept\): pkg generate \d+\.\d\dx its bare node$/m);
    expect(res.stdout).toMatch(/^floors: Node built-ins alone \d+\.\d\dx, a one-command oclif CLI \d+\.\d\dx bare node/m);
  });

  test('with --enable-source-maps the bundle loads through node itself and still runs', () => {
    const res = spawnSync(process.execPath, ['--enable-source-maps', path.join(ROOT, 'bin', 'run.js'), 'version'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^nrfutil version 6\.1\.7/);
  });
});
