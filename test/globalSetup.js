// CLI tests spawn bin/run.js, which runs the built CLI: build it once per jest run
// (the same steps as `npm run build`) so the tests always exercise the current sources.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  const root = path.resolve(__dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
};
