#!/usr/bin/env node
// Makes dist/bundle/cli.js.cache: the V8 code cache of the bundle, taken after a warm-up
// run of the common commands (so the functions they compile are in it, not only the top
// level). Made at build time, beside the bundle; bin/bundleLoader.js only reads it, and
// only when it matches the bundle and the running Node. The warm-up works in its own
// temporary directory, which is removed; nothing executable is written there.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BUNDLE, cacheHeader, loadBundle } = require('../bin/bundleLoader');

/**
 * Loads `bundle` without a cache, runs `warmUp(exports)` in a temporary working directory
 * (its stdout dropped), then writes the cache beside the bundle (temporary file + rename).
 * Also used by scripts/benchStartup.js for its one-command oclif CLI. Returns the cache's size.
 */
async function makeCodeCache({ bundle = BUNDLE, warmUp }) {
  const { exports: cli, script, bytes } = loadBundle({ useCache: false, bundle });
  if (!script) throw new Error('codeCache: the bundle was not loaded through vm.Script (source maps enabled?)');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-code-cache-'));
  const cwd = process.cwd();
  const write = process.stdout.write;
  try {
    process.chdir(work);
    process.stdout.write = () => true; // the warm-up's output is of no interest
    await warmUp(cli);
  } finally {
    process.stdout.write = write;
    process.chdir(cwd);
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (process.exitCode) throw new Error(`codeCache: a warm-up run failed (exit code ${process.exitCode})`);
  const data = script.createCachedData();
  const cache = `${bundle}.cache`;
  const tmp = `${cache}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat([cacheHeader(bytes), data]));
  fs.renameSync(tmp, cache);
  return data.length;
}

/** The common commands, as the CLI runs them (bin/run.js). */
async function warmUpCommonCommands(cli) {
  const bin = path.join(__dirname, '..', 'bin', 'run.js');
  fs.writeFileSync('app.bin', crypto.randomBytes(4096));
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  fs.writeFileSync('key.pem', privateKey.export({ type: 'sec1', format: 'pem' }));
  const runs = [
    ['--help'],
    ['pkg', 'generate', '--help'],
    ['version'],
    ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0x0101', '--application-version', '1', '--application', 'app.bin', '--key-file', 'key.pem', 'app.zip'],
    ['keys', 'display', '--key', 'pk', '--format', 'code', 'key.pem'],
    ['settings', 'generate', '--family', 'NRF52', '--application', 'app.bin', '--application-version', '1', '--bootloader-version', '1', '--bl-settings-version', '2', 'settings.hex'],
  ];
  for (const argv of runs) {
    await cli.run(cli.stripGlobalOptions(argv), bin);
    await cli.flush();
  }
}

module.exports = { makeCodeCache };

if (require.main === module) {
  makeCodeCache({ warmUp: warmUpCommonCommands })
    .then((size) => console.log(`wrote dist/bundle/cli.js.cache (${(size / 1024).toFixed(0)} KB, Node ${process.version})`))
    .catch((e) => {
      console.error(e.message);
      process.exit(1);
    });
}
