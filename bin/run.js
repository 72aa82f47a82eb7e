#!/usr/bin/env node
// nrfutil-ts entry point: the one-file CLI built into dist/bundle (see bin/bundleLoader.js).
// Global options (-v, -o FILE) and the `nrf5sdk-tools` prefix come before the command, as
// in nrfutil; they are taken off here because oclif parses flags per command.
const { loadBundle } = require('./bundleLoader');

let cli;
try {
  cli = loadBundle().exports;
} catch (e) {
  if (e && e.code === 'ENOENT') {
    process.stderr.write('Error: nrfutil-ts is not built (dist/bundle/cli.js is missing): run `npm run build`\n');
    process.exit(1);
  }
  throw e;
}
const { run, flush, stripGlobalOptions, GlobalUsageError, describeError } = cli;

async function main() {
  let argv;
  try {
    argv = stripGlobalOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof GlobalUsageError)) throw e;
    process.stderr.write(`Error: ${e.message}\n`);
    process.exitCode = 2;
    return;
  }
  await run(argv, require.main.filename);
  await flush();
}

main().catch((err) => {
  // Errors outside a command (unknown command, help): one line, nrfutil's exit codes.
  if (err && err.oclif && err.oclif.exit === 0) return;
  const { message, exitCode } = describeError(err);
  process.stderr.write(`Error: ${message}\n`);
  process.exitCode = exitCode === 127 ? 2 : exitCode;
});
