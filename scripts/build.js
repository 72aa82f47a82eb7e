#!/usr/bin/env node
// `npm run build` (and `npm ci`'s prepare, and the tests' globalSetup): everything bin/ needs.
//   dist/            tsc output (the library, and the files of the manifest)
//   dist/bundle/     the CLI in one file, and the fleet worker (scripts/bundle.js)
//   oclif.manifest.json
//   dist/bundle/cli.js.cache  V8 code cache of the bundle for this Node (scripts/codeCache.js)
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const node = (...args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
node(path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json');
// tsc does not copy the generated static protobuf code (plain .js beside its .d.ts)
fs.cpSync(path.join(root, 'src/core/generated'), path.join(root, 'dist/core/generated'), { recursive: true });
node(path.join(root, 'scripts/bundle.js'));
node(path.join(root, 'scripts/manifest.js')); // reads the commands from the bundle
node(path.join(root, 'scripts/codeCache.js')); // last: a warm-up run of the built CLI
node(path.join(root, 'scripts/buildBrowser.js')); // nrfutil-ts/core for browsers (dist/browser, web/lib)
