import type { Loader } from 'cosmiconfig';
import { configSearchDirs, unsafeConfigReason } from './configSearch';
import path from 'node:path';
import { configMayExist } from './configCandidates';
import { NrfutilError } from './core/errors';
import type { ProviderSettings } from './plugins/keyProvider';
import { factoryFromModule, factoryNamed, listKeyProviders, registerKeyProvider } from './plugins/registry';

/**
 * The `nrfutil` config (package.json key, .nrfutilrc[.json|.yaml|.yml|.js|.cjs|.mjs],
 * nrfutil.config.[js|cjs|mjs]), found from the working directory up to the project root.
 * Flags always win over it.
 */
export interface NrfutilConfig {
  /** Which provider a bare `--device ID` uses: a key directory, a PKCS#11 token, a plugin's. */
  provider?: string;
  /**
   * Each provider's own settings, by provider name, handed to that provider:
   * `{ "pkcs11": { "module": …, "token": …, "object": … }, "device-dir": { "dir": … }, "<plugin>": {…} }`.
   */
  providers?: Record<string, ProviderSettings>;
  /** Seconds one signature may take before its device fails (--sign-timeout wins). */
  signTimeout?: number;
  /** Older spelling of providers["device-dir"].dir. */
  keyDir?: string;
  /** Older spelling of providers.pkcs11. */
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

/**
 * The config's shape, with the older top-level spellings (keyDir, pkcs11) folded into the
 * built-in providers' sections. `legacyPkcs11`: the pkcs11 section is the top-level one
 * (its messages then say "pkcs11.…").
 */
function check(config: unknown, file: string): { config: NrfutilConfig; legacyPkcs11: boolean } {
  const fail = (why: string) => {
    throw new NrfutilError(`Config ${file}: ${why}`);
  };
  if (typeof config !== 'object' || config === null || Array.isArray(config)) fail('must be an object');
  const c = config as Record<string, unknown>;
  const known = ['provider', 'providers', 'signTimeout', 'keyDir', 'pkcs11', 'plugins'];
  for (const k of Object.keys(c)) if (!known.includes(k)) fail(`unknown setting "${k}" (known: ${known.join(', ')})`);
  if (c.provider !== undefined && typeof c.provider !== 'string') fail('provider must be a provider name');
  if (c.keyDir !== undefined && typeof c.keyDir !== 'string') fail('keyDir must be a path');
  if (c.signTimeout !== undefined && !(typeof c.signTimeout === 'number' && c.signTimeout > 0)) fail('signTimeout must be a number of seconds above 0');
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (c.pkcs11 !== undefined && !isObject(c.pkcs11)) fail('pkcs11 must be an object');
  if (c.providers !== undefined) {
    if (!isObject(c.providers)) fail('providers must be an object: { "<provider name>": { settings } }');
    for (const [name, section] of Object.entries(c.providers as object)) if (!isObject(section)) fail(`providers.${name} must be an object`);
  }
  if (c.plugins !== undefined && (!Array.isArray(c.plugins) || c.plugins.some((p) => typeof p !== 'string'))) fail('plugins must be a list of package names');
  const out = c as NrfutilConfig;
  // The older top-level spellings are the built-in providers' sections.
  const legacyPkcs11 = out.pkcs11 !== undefined && out.providers?.pkcs11 === undefined;
  const providers: Record<string, ProviderSettings> = { ...out.providers };
  if (out.keyDir !== undefined) providers['device-dir'] = { dir: out.keyDir, ...providers['device-dir'] };
  if (out.pkcs11 !== undefined) providers.pkcs11 = { ...out.pkcs11, ...providers.pkcs11 };
  out.providers = providers;
  return { config: out, legacyPkcs11 };
}

/**
 * Once the plugins are registered: every provider named exists, each section is what its
 * provider expects, and its path settings are relative to the config file.
 */
function checkProviders(config: NrfutilConfig, file: string, legacyPkcs11: boolean): void {
  const fail = (why: string) => {
    throw new NrfutilError(`Config ${file}: ${why}`);
  };
  // plugins first, then the built-ins in the order the messages always named them
  const builtIn = ['pem-file', 'device-dir', 'pkcs11'];
  const names = [...listKeyProviders().map((f) => f.name).filter((n) => !builtIn.includes(n)), ...builtIn];
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names.join('');
  if (config.provider !== undefined && !factoryNamed(config.provider)) fail(`provider must be ${list}`);
  const base = path.dirname(file);
  for (const [name, settings] of Object.entries(config.providers ?? {})) {
    const factory = factoryNamed(name);
    // the older spelling reads "pkcs11.module", the section "providers.pkcs11.module"
    const where = name === 'pkcs11' && legacyPkcs11 ? 'pkcs11' : `providers.${name}`;
    if (!factory) fail(`providers.${name}: no key provider is called "${name}" (known: ${names.join(', ')})`);
    const problem = factory!.checkSettings?.(settings, where);
    if (problem) fail(problem);
    // Relative paths in a config file are relative to that file, not to the working directory.
    for (const key of factory!.pathSettings ?? [])
      if (typeof settings[key] === 'string' && !path.isAbsolute(settings[key] as string)) settings[key] = path.resolve(base, settings[key] as string);
  }
  if (config.keyDir !== undefined) config.keyDir = config.providers!['device-dir'].dir as string;
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
  const { config, legacyPkcs11 } = check(result.config, result.filepath);
  for (const name of config.plugins ?? []) {
    let mod: unknown;
    let source: string;
    try {
      source = require.resolve(name, { paths: [path.dirname(result.filepath), cwd] });
      mod = await import(source);
    } catch (e) {
      throw new NrfutilError(`Config ${result.filepath}: cannot load key provider plugin '${name}' (${(e as Error).message.split('\n')[0]})`);
    }
    const factory = factoryFromModule(mod);
    if (!factory) throw new NrfutilError(`Config ${result.filepath}: plugin '${name}' exports no key provider (needs name, accepts() and open())`);
    registerKeyProvider(factory, source!);
  }
  checkProviders(config, result.filepath, legacyPkcs11);
  loaded = { config, filepath: result.filepath };
  return config;
}
