import fs from 'node:fs';
import path from 'node:path';

/**
 * Where cosmiconfig 9 looks for an `nrfutil` config in each directory (its default search
 * places for the module name; test/configCandidates.test.ts compares this list with
 * cosmiconfig's own), package.json aside.
 */
export function configFileNames(moduleName = 'nrfutil'): string[] {
  const extensions = ['', '.json', '.yaml', '.yml', '.js', '.ts', '.cjs', '.mjs'];
  return [
    ...extensions.map((e) => `.${moduleName}rc${e}`),
    ...extensions.map((e) => `.config/${moduleName}rc${e}`),
    ...['.js', '.ts', '.cjs', '.mjs'].map((e) => `${moduleName}.config${e}`),
  ];
}

/** cosmiconfig's own options ("meta config"), looked for in the working directory only. */
const META_CONFIG_FILES = ['package.yaml', ...['json', 'yaml', 'yml', 'js', 'ts', 'cjs', 'mjs'].map((e) => `.config/config.${e}`)];

/**
 * Whether cosmiconfig could find an `nrfutil` config in `dirs` (configSearchDirs: from the
 * working directory up to the project root or home): a cheap look, a few stat calls per
 * directory, at the places it searches. So the common case, no config at all, does not
 * load cosmiconfig (a fifth of start-up). It errs towards "maybe": any doubt hands the
 * search to cosmiconfig itself.
 */
export function configMayExist(dirs: readonly string[], moduleName = 'nrfutil'): boolean {
  const names = configFileNames(moduleName);
  if (META_CONFIG_FILES.some((f) => exists(path.join(dirs[0], f)))) return true;
  return dirs.some((dir, i) => {
    if (names.some((f) => exists(path.join(dir, f)))) return true;
    if (exists(path.join(dir, 'package.yaml'))) return true; // rare: let cosmiconfig parse it
    const pkg = path.join(dir, 'package.json');
    return exists(pkg) && packageJsonMayHold(pkg, moduleName, i === 0);
  });
}

function exists(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false }) !== undefined;
}

/** The `nrfutil` key, or (in cwd) a `cosmiconfig` key, which can add search places. */
function packageJsonMayHold(file: string, moduleName: string, isCwd: boolean): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false; // a directory or unreadable: cosmiconfig gets nothing from it either
  }
  try {
    const pkg = JSON.parse(text) as Record<string, unknown>;
    if (typeof pkg !== 'object' || pkg === null) return false;
    return Object.hasOwn(pkg, moduleName) || (isCwd && Object.hasOwn(pkg, 'cosmiconfig'));
  } catch {
    return true; // broken JSON: cosmiconfig reports it
  }
}
