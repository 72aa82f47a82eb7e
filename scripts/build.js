#!/usr/bin/env node
// `npm run build` (and `npm ci`'s prepare, and the tests' globalSetup): everything bin/ needs.
//   dist/            tsc output (the library, and the files of the manifest)
//   oclif.manifest.json
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const node = (...args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
node(path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json');
// tsc does not copy the generated static protobuf code (plain .js beside its .d.ts)
fs.cpSync(path.join(root, 'src/core/generated'), path.join(root, 'dist/core/generated'), { recursive: true });
node(path.join(root, 'scripts/manifest.js'));
