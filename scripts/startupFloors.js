// Reference programs for `npm run bench:startup`: not nrfutil-ts, but floors that show what
// the target (1.6x a bare node) leaves room for on the machine at hand.
// - builtins: pkg generate's essential work (read the key and the 200 KB application,
//   SHA-256 it, sign, write a file atomically, print a line) in Node's built-ins alone:
//   no argument parsing, no libraries, no zip or protobuf.
// - oclif: a CLI of one command that parses one flag and prints a line, built the way the
//   real CLI is (scripts/bundle.js's esbuild plugins and oclif patches, bin/bundleLoader.js
//   with a code cache made by scripts/codeCache.js): oclif's own start-up, with none of ours.
// Both are written into the bench's private temporary directory (mkdtemp, removed on exit).
const fs = require('node:fs');
const path = require('node:path');

const LOADER = path.join(__dirname, '..', 'bin', 'bundleLoader.js');

const BUILTINS_FLOOR = `const crypto = require('node:crypto');
const fs = require('node:fs');
const [keyFile, appFile, out] = process.argv.slice(2);
const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
const app = fs.readFileSync(appFile);
const hash = crypto.createHash('sha256').update(app).digest();
const signature = crypto.sign('sha256', Buffer.concat([Buffer.alloc(64), hash]), { key, dsaEncoding: 'ieee-p1363' });
fs.writeFileSync(out + '.tmp', Buffer.concat([Buffer.alloc(128), app, signature]));
fs.renameSync(out + '.tmp', out);
process.stdout.write('Zip created at ' + out + '\\n');
`;

const OCLIF_ENTRY = `export { run } from '@oclif/core/run';
export { flush } from '@oclif/core/flush';
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
class Hello extends Command {
  static flags = { name: Flags.string({ description: 'who' }) };
  async run() {
    const { flags } = await this.parse(Hello);
    this.log('hello ' + flags.name);
  }
}
export const COMMANDS = { hello: Hello };
`;

const OCLIF_BIN = `const path = require('node:path');
const { loadBundle } = require(${JSON.stringify(LOADER)});
const cli = loadBundle({ bundle: path.join(__dirname, 'cli.js') }).exports;
cli.run(process.argv.slice(2), { root: __filename, userPlugins: false }).then(() => cli.flush());
`;

/** Writes both floors under `dir`; returns the bench cases that run them. */
async function floorCases(dir, { app, key }) {
  const builtins = path.join(dir, 'floor-builtins.js');
  fs.writeFileSync(builtins, BUILTINS_FLOOR);

  const oclifDir = path.join(dir, 'floor-oclif');
  fs.mkdirSync(oclifDir);
  const pjson = { name: 'oclif-floor', version: '1.0.0', oclif: { bin: 'floor', commands: { strategy: 'explicit', target: './cli.js', identifier: 'COMMANDS' } } };
  fs.writeFileSync(path.join(oclifDir, 'package.json'), JSON.stringify(pjson));
  const bin = path.join(oclifDir, 'run.js');
  fs.writeFileSync(bin, OCLIF_BIN);
  const { buildCliBundle } = require('./bundle');
  await buildCliBundle({ entry: OCLIF_ENTRY, outfile: path.join(oclifDir, 'cli.js'), sourcefile: 'floor-oclif.ts' });
  // the cache is made in a child process, as the build makes the real one
  const make = `require(${JSON.stringify(path.join(__dirname, 'codeCache.js'))}).makeCodeCache({ bundle: ${JSON.stringify(path.join(oclifDir, 'cli.js'))},
    warmUp: async (cli) => { await cli.run(['hello', '--name', 'x'], { root: ${JSON.stringify(bin)}, userPlugins: false }); await cli.flush(); } })
    .catch((e) => { console.error(e.message); process.exit(1); });`;
  const { status, stderr } = require('node:child_process').spawnSync(process.execPath, ['-e', make], { encoding: 'utf8' });
  if (status !== 0) throw new Error(`bench: the oclif floor's code cache: ${stderr}`);

  return [
    { name: 'floor: Node built-ins only', argv: [builtins, key, app, 'floor.zip'], reference: true },
    { name: 'floor: one-command oclif CLI', argv: [bin, 'hello', '--name', 'x'], reference: true },
  ];
}

module.exports = { floorCases };
