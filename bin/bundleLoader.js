'use strict';
// Loads the one-file CLI (dist/bundle/cli.js) as node's CommonJS loader would, but compiled
// with the V8 code cache that the build made beside it (cli.js.cache): about a fifth of a
// run's start-up is compiling the bundle. The cache is only ever read here, never written,
// and only used when it was made from this very bundle by this Node (version, V8, arch);
// otherwise the bundle compiles as usual.
const { isAscii } = require('node:buffer');
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const BUNDLE = path.join(__dirname, '..', 'dist', 'bundle', 'cli.js');
const CACHE = `${BUNDLE}.cache`;
const MAGIC = 'nrfutil-ts code cache v1\n';

/**
 * What a cache must have been made for: this Node, this V8, this CPU architecture, this
 * bundle. SHA-1 tells a changed bundle (a 1 MB file: ~1 ms, SHA-256 takes 6-15 ms here);
 * it guards against stale caches, not attackers (who could change the bundle itself).
 */
function cacheHeader(bundleBytes) {
  const bundle = crypto.createHash('sha1').update(bundleBytes).digest('hex');
  return Buffer.from(`${MAGIC}${JSON.stringify({ node: process.version, v8: process.versions.v8, arch: process.arch, bundle })}\n`);
}

/** The cached data when the cache file is this bundle's and this Node's, else undefined. */
function readCodeCache(bundleBytes, file = CACHE) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const header = cacheHeader(bundleBytes);
  if (bytes.length <= header.length || !bytes.subarray(0, header.length).equals(header)) return undefined;
  return bytes.subarray(header.length);
}

// node's CommonJS wrapper, plus the bundle's import(): V8 drops node's import() callback
// from code restored out of another process's cache, so the bundle's import(x) calls are
// __impt(x) (scripts/bundle.js), which calls this function, compiled by node's own loader.
const WRAPPER = ['(function (exports, require, module, __filename, __dirname, __nrfutilImport) { ', '\n});'];
const nativeImport = (specifier) => import(specifier);

function compile(source, filename, cachedData) {
  return new vm.Script(WRAPPER[0] + source + WRAPPER[1], { filename, cachedData });
}

/**
 * Loads the bundle and registers it in require's cache, so that oclif (which requires the
 * bundle for its commands) gets this same module. `useCache: false` for the build's own run;
 * `bundle` and `cache` name other files (tests). With --enable-source-maps, node's own
 * loader loads it (and reads the bundle's source map).
 */
function loadBundle({ useCache = true, bundle = BUNDLE, cache = `${bundle}.cache` } = {}) {
  if (Module._cache[bundle]) return { exports: Module._cache[bundle].exports };
  if (process.sourceMapsEnabled) return { exports: require(bundle) };
  const bytes = fs.readFileSync(bundle);
  // The build makes the bundle ASCII-only: latin1 is then the same text, ten times faster than utf8.
  const source = isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
  const cachedData = useCache ? readCodeCache(bytes, cache) : undefined;
  const script = compile(source, bundle, cachedData);
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  Module._cache[bundle] = mod;
  try {
    script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle), nativeImport);
  } catch (e) {
    delete Module._cache[bundle];
    throw e;
  }
  mod.loaded = true;
  return { exports: mod.exports, script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected, bytes };
}

module.exports = { BUNDLE, CACHE, cacheHeader, readCodeCache, loadBundle };
