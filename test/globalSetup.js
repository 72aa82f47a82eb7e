// CLI tests spawn bin/run.js, which runs the compiled dist/: build it once per jest run
// so the tests always exercise the current sources.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  const root = path.resolve(__dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'scripts/manifest.js')], { cwd: root, stdio: 'ignore' });
  // The browser tests load nrfutil-ts/core's bundles (dist/browser, web/lib).
  execFileSync(process.execPath, [path.join(root, 'scripts/buildBrowser.js')], { cwd: root, stdio: 'ignore' });
};
