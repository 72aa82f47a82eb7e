#!/usr/bin/env node
// Writes oclif.manifest.json from the compiled commands so the CLI starts without
// requiring every command file (oclif reads the manifest first).
const fs = require('node:fs');
const path = require('node:path');
const { Config } = require('@oclif/core');

(async () => {
  const root = path.resolve(__dirname, '..');
  const file = path.join(root, 'oclif.manifest.json');
  fs.rmSync(file, { force: true }); // never build a manifest from a stale manifest
  const config = await Config.load(root);
  const manifest = config.plugins.get(config.pjson.name).manifest;
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote oclif.manifest.json (${Object.keys(manifest.commands).length} commands)`);
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
