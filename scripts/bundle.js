#!/usr/bin/env node
// The CLI as one file (dist/bundle/cli.js), so that a run reads and compiles one file
// instead of resolving and loading some 300 modules. oclif finds the commands in the
// bundle through its explicit command strategy (package.json oclif.commands -> COMMANDS).
// - every command under src/commands is in the bundle: the entry is written from that tree
// - class names are kept: exit codes depend on error classes' names
// - packages with native code (pkcs11js) stay outside; the fleet worker is its own entry
// - a linked source map points back at src/ (node --enable-source-maps)
const acorn = require('acorn');
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outdir = path.join(root, 'dist', 'bundle');

function commandFiles(dir, prefix = []) {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((e) => {
    if (e.isDirectory()) return commandFiles(path.join(dir, e.name), [...prefix, e.name]);
    if (!e.name.endsWith('.ts') || e.name.endsWith('.d.ts')) return [];
    // oclif's rule: a topic's index.ts is the topic's own command (`serve`, not `serve:index`)
    const name = e.name.slice(0, -3);
    return [{ id: [...prefix, ...(name === 'index' && prefix.length ? [] : [name])].join(':'), file: path.join(dir, e.name) }];
  });
}

// Loaded from node_modules as before, on the paths that need them: the TypeScript compilers
// that cosmiconfig (a .ts config file) and oclif (development) use; and (nativeExternals)
// every package with native code in it or below it (pkcs11js, serialport...), which find
// their compiled addons relative to their own files.
const external = ['typescript', 'ts-node'];
// The signing service's web stack (about half the bundle's bytes) and its database drivers
// are loaded from node_modules by `serve` alone: every other command would otherwise read
// and map them at start-up (pg's optional pg-native then also stays unresolved).
const serviceOnly = ['fastify', '@fastify/*', 'prom-client', 'pg', 'pg-native'];

const nativeCache = new Map();
function hasNativeCode(name, seen = new Set()) {
  if (nativeCache.has(name)) return nativeCache.get(name);
  if (seen.has(name)) return false;
  seen.add(name);
  const dir = path.join(root, 'node_modules', name);
  let pkg;
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return false;
  }
  const native = pkg.gypfile === true || fs.existsSync(path.join(dir, 'binding.gyp')) || fs.existsSync(path.join(dir, 'prebuilds'))
    || Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).some((dep) => hasNativeCode(dep, seen));
  nativeCache.set(name, native);
  return native;
}

const nativeExternals = {
  name: 'native-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return undefined;
      const parts = args.path.split('/');
      const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      return hasNativeCode(name) ? { path: args.path, external: true } : undefined;
    });
  },
};

const commands = commandFiles(path.join(root, 'src', 'commands'));
const rel = (file) => './' + path.relative(path.join(root, 'src', 'cli'), file).replace(/\\/g, '/').replace(/\.ts$/, '');
const entry = [
  '// Written by scripts/bundle.js: the bundle\'s entry (what bin/run.js and oclif take from it).',
  "export { run } from '@oclif/core/run';",
  "export { flush } from '@oclif/core/flush';",
  "export { stripGlobalOptions, GlobalUsageError } from './globalOptions';",
  "export { describeError, describeTopLevelError } from './describeError';",
  // package.json oclif.helpClass points here: help is drawn by the bundle's oclif, not a second copy
  "export { default as NrfHelp } from './help';",
  // Getters around require(): a command's module (and all it imports) is initialised only
  // when oclif asks for that command; help and topics come from oclif.manifest.json.
  'export const COMMANDS = {',
  ...commands.map((c) => `  get '${c.id}'() { return require('${rel(c.file)}').default; },`),
  '};',
  '',
].join('\n');

/**
 * Edits to @oclif/core's own files as they go into the bundle, each a piece of text that
 * must occur exactly once in that file (else the build stops: oclif changed, look again):
 * - cache.js: oclif reads its own version from ../package.json beside its files; in the
 *   bundle that path is gone, so the version is written in.
 * - config/plugin.js: the sort of the commands by id without initialising ICU
 *   (scripts/commandIdOrder.js).
 * - util/os.js, parser/parse.js, performance.js: Node built-ins that oclif requires when its
 *   modules load but uses only on rare paths (child_process: the user's shell, for autocomplete;
 *   readline: flags read from stdin; perf_hooks: DEBUG tracing); child_process also loads net, dgram and their
 *   bindings, ~2 ms of every run. They load on first use, through a proxy (`__lazyBuiltin`,
 *   in the banner). And oclif asks wsl-utils (which loads child_process at once) only for
 *   its isWsl: is-wsl's answer.
 */
const oclifFile = (name) => path.join('@oclif', 'core', 'lib', ...name.split('/'));
const lazyBuiltin = (text) => text.replace('require(', '__lazyBuiltin(');
const OCLIF_PATCHES = [
  {
    file: 'cache.js',
    needle: "JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(__dirname, '..', 'package.json'), 'utf8')).version",
    replace: (file) => JSON.stringify(JSON.parse(fs.readFileSync(path.join(path.dirname(file), '..', 'package.json'), 'utf8')).version),
  },
  {
    file: 'config/plugin.js',
    needle: '.sort((a, b) => a.id.localeCompare(b.id))',
    replace: () => '.sort((a, b) => compareCommandIds(a.id, b.id))',
    prepend: `const { compareCommandIds } = require(${JSON.stringify(path.join(__dirname, 'commandIdOrder.js'))});\n`,
  },
  { file: 'util/os.js', needle: 'const node_child_process_1 = require("node:child_process");', replace: (_, needle) => lazyBuiltin(needle) },
  { file: 'util/os.js', needle: "(await import('wsl-utils')).isWsl", replace: () => "(await import('is-wsl')).default" },
  { file: 'parser/parse.js', needle: 'const node_readline_1 = require("node:readline");', replace: (_, needle) => lazyBuiltin(needle) },
  // perf_hooks: used only when oclif's performance tracing is on (DEBUG)
  { file: 'performance.js', needle: 'const node_perf_hooks_1 = require("node:perf_hooks");', replace: (_, needle) => lazyBuiltin(needle) },
  // tinyglobby (and fdir, which resolves picomatch on disk as it loads): used only by the
  // pattern command strategy; ours is explicit
  {
    file: 'config/plugin.js',
    needle: 'const tinyglobby_1 = require("tinyglobby");',
    replace: () => 'let tinyglobbyModule; const tinyglobby_1 = { get glob() { return (tinyglobbyModule ??= require("tinyglobby")).glob; } };',
  },
];
const LAZY_BUILTIN_SHIM = 'var __lazyBuiltin=n=>{let m;return new Proxy({},{get:(_,k)=>(m??=require(n))[k]})};';
const oclifPatches = {
  name: 'oclif-patches',
  setup(build) {
    build.onLoad({ filter: /@oclif[\\/]core[\\/]lib[\\/]/ }, async (args) => {
      const patches = OCLIF_PATCHES.filter((p) => args.path.endsWith(oclifFile(p.file)));
      if (!patches.length) return undefined;
      let contents = await fs.promises.readFile(args.path, 'utf8');
      for (const patch of patches) {
        if (contents.split(patch.needle).length !== 2) throw new Error(`bundle: @oclif/core's ${patch.file} no longer has ${patch.needle} once; update scripts/bundle.js`);
        contents = (patch.prepend ?? '') + contents.replace(patch.needle, patch.replace(args.path, patch.needle));
      }
      return { contents, loader: 'js' };
    });
  },
};

/**
 * esbuild escapes non-ASCII text except inside regular expression literals (one, in ansis);
 * \uXXXX means the same code unit in a string, a template, a regex or an identifier.
 */
function asciiOnly(file) {
  const text = fs.readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) fs.writeFileSync(file, ascii);
}

/**
 * bin/bundleLoader.js compiles the bundle with vm.Script and a code cache made by another
 * process. V8 then loses node's callback for import() (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING;
 * config files .mjs, ESM plugins), and vm's own remedy is experimental and warns on stderr.
 * So every import(x) of the bundle becomes __impt(x) (same length: the source map stays
 * exact): the loader passes an import() of its own; under node's own loader (source maps
 * on, oclif's manifest script) the banner falls back to a native import().
 */
const IMPORT_SHIM = 'var __impt=typeof __nrfutilImport=="function"?__nrfutilImport:s=>import(s);';

function rewriteDynamicImports(file) {
  const text = fs.readFileSync(file, 'utf8');
  const starts = [];
  const walk = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'ImportExpression' && node.start >= IMPORT_SHIM.length) starts.push(node.start);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') walk(value);
    }
  };
  walk(acorn.parse(text, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true }));
  let out = text;
  for (const at of starts) {
    if (out.slice(at, at + 6) !== 'import') throw new Error(`bundle: no import( at ${at}`);
    out = out.slice(0, at) + '__impt' + out.slice(at + 6);
  }
  fs.writeFileSync(file, out);
  return starts.length;
}

/** `debug` inside the bundle is scripts/lazyDebug.js, which loads the real one when DEBUG is set. */
const LAZY_DEBUG = path.join(__dirname, 'lazyDebug.js');
const lazyDebug = {
  name: 'lazy-debug',
  setup(build) {
    build.onResolve({ filter: /^debug$/ }, (args) => (args.importer === LAZY_DEBUG ? undefined : { path: LAZY_DEBUG }));
  },
};

/**
 * protobufjs loads long.js, if it can, for 64-bit fields; dfu-cc.proto has none, and
 * loading it costs ~2 ms of every run. Inside the bundle `long` is an empty module, so
 * protobufjs works with plain numbers (its own fallback). The build stops if a schema
 * ever gets a 64-bit field.
 */
const NO_LONG = 'module.exports = null; // scripts/bundle.js: no 64-bit fields in proto/';
const noLongJs = {
  name: 'no-long-js',
  setup(build) {
    build.onStart(() => {
      const protoDir = path.join(root, 'proto');
      for (const file of fs.readdirSync(protoDir).filter((f) => f.endsWith('.proto'))) {
        const text = fs.readFileSync(path.join(protoDir, file), 'utf8').replace(/\/\/.*$/gm, '');
        if (/\b(u?int64|s?fixed64|sint64)\b/.test(text)) throw new Error(`bundle: proto/${file} has a 64-bit field: protobufjs then needs long.js; remove the no-long-js plugin`);
      }
    });
    build.onResolve({ filter: /^long$/ }, (args) => (/protobufjs/.test(args.importer) ? { path: 'long', namespace: 'no-long' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'no-long' }, () => ({ contents: NO_LONG, loader: 'js' }));
  },
};

/**
 * Builds one CLI bundle from `entry` (module text, resolved from src/cli) into `outfile`:
 * esbuild with the plugins above, then import() routed through the loader and the text made
 * ASCII. Also used by scripts/benchStartup.js for its one-command oclif CLI (the floor).
 */
async function buildCliBundle({ entry, outfile, sourcefile = 'src/cli/bundleEntry.ts', analyze = false }) {
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: path.join(root, 'src', 'cli'), sourcefile, loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    external: [...external, ...serviceOnly],
    keepNames: true,
    // no comments or layout (less to read and parse), identifiers kept as written;
    // ASCII only, so the loader can read it as latin1 (utf8 decoding costs 10-20 ms)
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
    sourcemap: 'linked',
    sourcesContent: true,
    legalComments: 'none',
    logLevel: 'error',
    metafile: true,
    plugins: [nativeExternals, oclifPatches, lazyDebug, noLongJs],
    banner: { js: IMPORT_SHIM + LAZY_BUILTIN_SHIM },
  });
  const imports = rewriteDynamicImports(outfile);
  asciiOnly(outfile);
  if (analyze) console.log(await esbuild.analyzeMetafile(result.metafile));
  return { imports, modules: Object.keys(result.metafile.inputs).length };
}

async function main() {
  fs.rmSync(outdir, { recursive: true, force: true });
  const { imports, modules } = await buildCliBundle({ entry, outfile: path.join(outdir, 'cli.js'), analyze: Boolean(process.env.BUNDLE_ANALYZE) });
  // The fleet worker: a worker thread starts it from its own file (src/fleet/batch.ts).
  await esbuild.build({
    entryPoints: { softwareWorker: path.join(root, 'src', 'fleet', 'softwareWorker.ts') },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outdir,
    external, plugins: [nativeExternals], keepNames: true, minifyWhitespace: true, minifySyntax: true, charset: 'ascii', sourcemap: 'linked', sourcesContent: true, legalComments: 'none', logLevel: 'error',
  });
  asciiOnly(path.join(outdir, 'softwareWorker.js'));
  const bytes = fs.statSync(path.join(outdir, 'cli.js')).size;
  console.log(`wrote dist/bundle/cli.js (${commands.length} commands, ${(bytes / 1024).toFixed(0)} KB, ${modules} modules, ${imports} import() routed through the loader)`);
}

module.exports = { buildCliBundle };

if (require.main === module) main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
