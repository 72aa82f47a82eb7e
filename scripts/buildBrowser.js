#!/usr/bin/env node
// nrfutil-ts/core as one ES module for browsers (dist/browser/nrfutil-core.mjs), and as a
// classic script for the web/ inspector (web/lib/nrfutil-core.js). esbuild, platform browser: no Node polyfills, so a Node
// built-in anywhere under src/core fails this build. Dependencies resolve through their
// "browser" fields (jszip's browser build, noble without node:crypto).
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outfile = path.join(root, 'dist', 'browser', 'nrfutil-core.mjs');

const common = {
  entryPoints: [path.join(root, 'src', 'core', 'index.ts')],
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  logOverride: { 'direct-eval': 'silent' }, // protobufjs probes for optional modules with eval
};
// web/ loads a classic script (global `nrfutilCore`): browsers refuse module scripts
// from file:// pages, and the inspector must work opened straight from disk.
const webCopy = path.join(root, 'web', 'lib', 'nrfutil-core.js');

Promise.all([
  esbuild.build({ ...common, format: 'esm', outfile }),
  esbuild.build({ ...common, format: 'iife', globalName: 'nrfutilCore', outfile: webCopy }),
])
  .then(() => {
    const size = fs.statSync(outfile).size;
    process.stdout.write(`dist/browser/nrfutil-core.mjs: ${(size / 1024).toFixed(0)} KiB (and web/lib/nrfutil-core.js)\n`);
  })
  .catch(() => process.exit(1));
