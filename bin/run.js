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
const { run, flush, stripGlobalOptions, GlobalUsageError, describeTopLevelError } = cli;

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
  // No oclif user plugins (key-provider plugins come from the config file): without this an
  // unreadable ~/.local/share adds a Node warning to every command.
  await run(argv, { root: require.main.filename, userPlugins: false });
  await flush();
}

main().catch(async (err) => {
  // Errors outside a command (unknown command, help): one line, nrfutil's exit codes.
  if (err && err.oclif && err.oclif.exit === 0) return;
  const { message, exitCode } = await describeTopLevelError(err, require.main.filename);
  process.stderr.write(`Error: ${message}\n`);
  process.exitCode = exitCode === 127 ? 2 : exitCode;
});
