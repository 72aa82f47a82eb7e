import type { Loader } from 'cosmiconfig';
import { configSearchDirs, unsafeConfigReason } from './configSearch';
import path from 'node:path';
import { configMayExist } from './configCandidates';
import { NrfutilError } from './core/errors';
import type { KeyProviderFactory } from './plugins/keyProvider';
import { registerKeyProvider } from './plugins/registry';

/**
 * The `nrfutil` config (package.json key, .nrfutilrc[.json|.yaml|.yml|.js|.cjs|.mjs],
 * nrfutil.config.[js|cjs|mjs]), found from the working directory up to the project root.
 * Flags always win over it.
 */
export interface NrfutilConfig {
  /** Which provider a bare `--device ID` uses: a key directory or a PKCS#11 token. */
  provider?: 'pem-file' | 'device-dir' | 'pkcs11';
  /** Key directory for `--device ID` (device-dir). */
  keyDir?: string;
  pkcs11?: {
    module?: string;
    token?: string;
    /** Object label for `--device ID` with provider pkcs11, e.g. "dev-{device}". */
    object?: string;
  };
  /** npm packages that export a key provider (see README, "Writing a key provider"). */
  plugins?: string[];
}

let loaded: { config: NrfutilConfig; filepath?: string } = { config: {} };

export function currentConfig(): NrfutilConfig {
  return loaded.config;
}

function check(config: unknown, file: string): NrfutilConfig {
  const fail = (why: string) => {
    throw new NrfutilError(`Config ${file}: ${why}`);
  };
  if (typeof config !== 'object' || config === null || Array.isArray(config)) fail('must be an object');
  const c = config as Record<string, unknown>;
  const known = ['provider', 'keyDir', 'pkcs11', 'plugins'];
  for (const k of Object.keys(c)) if (!known.includes(k)) fail(`unknown setting "${k}" (known: ${known.join(', ')})`);
  if (c.provider !== undefined && !['pem-file', 'device-dir', 'pkcs11'].includes(c.provider as string)) fail('provider must be pem-file, device-dir or pkcs11');
  if (c.keyDir !== undefined && typeof c.keyDir !== 'string') fail('keyDir must be a path');
  if (c.pkcs11 !== undefined) {
    if (typeof c.pkcs11 !== 'object' || c.pkcs11 === null) fail('pkcs11 must be an object');
    for (const [k, v] of Object.entries(c.pkcs11 as object)) {
      if (!['module', 'token', 'object'].includes(k)) fail(`unknown setting "pkcs11.${k}" (known: module, token, object)`);
      if (typeof v !== 'string') fail(`pkcs11.${k} must be a string`);
    }
  }
  if (c.plugins !== undefined && (!Array.isArray(c.plugins) || c.plugins.some((p) => typeof p !== 'string'))) fail('plugins must be a list of package names');
  const out = c as NrfutilConfig;
  // Relative paths in a config file are relative to that file, not to the working directory.
  const base = path.dirname(file);
  if (out.keyDir) out.keyDir = path.resolve(base, out.keyDir);
  if (out.pkcs11?.module && !path.isAbsolute(out.pkcs11.module)) out.pkcs11.module = path.resolve(base, out.pkcs11.module);
  return out;
}

function factoryFrom(mod: unknown): KeyProviderFactory | undefined {
  const m = mod as { default?: unknown; provider?: unknown };
  for (const candidate of [m?.provider, m?.default, (m?.default as { provider?: unknown })?.provider, m]) {
    const f = candidate as KeyProviderFactory;
    if (f && typeof f.name === 'string' && typeof f.accepts === 'function' && typeof f.open === 'function') return f;
  }
  return undefined;
}

/** cosmiconfig's loaders, each refusing a file that another user could have put there or changed. */
function guardedLoaders(defaultLoaders: Record<string, Loader>): Record<string, Loader> {
  const guard =
    (load: Loader): Loader =>
    (filepath, content) => {
      const reason = unsafeConfigReason(filepath);
      if (reason) throw new NrfutilError(`Config ${filepath} was not loaded: ${reason}; a config file can run code (fix its owner or mode: chmod go-w)`);
      return load(filepath, content);
    };
  return Object.fromEntries(Object.entries(defaultLoaders).map(([ext, load]) => [ext, guard(load)]));
}

/** Loads the config once per process and registers its plugins. */
export async function loadConfig(cwd = process.cwd()): Promise<NrfutilConfig> {
  const dirs = configSearchDirs(cwd);
  if (!configMayExist(dirs)) {
    loaded = { config: {} };
    return loaded.config;
  }
  let result;
  try {
    // Loaded only when a config file may exist: most runs have none. Each directory on its
    // own ('none'): cosmiconfig's own climb goes on to / when there is no package.json.
    const { cosmiconfig, defaultLoaders } = await import('cosmiconfig');
    const explorer = cosmiconfig('nrfutil', { searchStrategy: 'none', loaders: guardedLoaders(defaultLoaders) });
    for (const dir of dirs) if ((result = await explorer.search(dir))) break;
  } catch (e) {
    if (e instanceof NrfutilError) throw e;
    throw new NrfutilError(`Cannot read the nrfutil config: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!result || result.isEmpty) {
    loaded = { config: {} };
    return loaded.config;
  }
  const config = check(result.config, result.filepath);
  for (const name of config.plugins ?? []) {
    let mod: unknown;
    try {
      mod = await import(require.resolve(name, { paths: [path.dirname(result.filepath), cwd] }));
    } catch (e) {
      throw new NrfutilError(`Config ${result.filepath}: cannot load key provider plugin '${name}' (${(e as Error).message.split('\n')[0]})`);
    }
    const factory = factoryFrom(mod);
    if (!factory) throw new NrfutilError(`Config ${result.filepath}: plugin '${name}' exports no key provider (needs name, accepts() and open())`);
    registerKeyProvider(factory);
  }
  loaded = { config, filepath: result.filepath };
  return config;
}
