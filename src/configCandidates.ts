import fs from 'node:fs';
import path from 'node:path';

/**
 * Whether cosmiconfig could find an `nrfutil` config from `cwd`: a cheap look at the
 * same directories it searches (searchStrategy 'project': from cwd up to the first
 * directory holding a package.json or package.yaml, else up to the root), so that the
 * common case, no config at all, does not load cosmiconfig (a fifth of start-up).
 * It errs towards "maybe": any doubt hands the search to cosmiconfig itself.
 */
export function configMayExist(cwd: string, moduleName = 'nrfutil'): boolean {
  let dir = path.resolve(cwd);
  for (;;) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      names = []; // cosmiconfig skips unreadable directories too
    }
    const here = new Set(names);
    // .nrfutilrc[.ext], nrfutil.config.ext
    if (names.some((n) => n.startsWith(`.${moduleName}rc`) || n.startsWith(`${moduleName}.config.`))) return true;
    // .config/nrfutilrc[.ext]; in cwd also cosmiconfig's own meta config, .config/config.ext
    if (here.has('.config') && configDirMayHold(path.join(dir, '.config'), moduleName, dir === path.resolve(cwd))) return true;
    if (here.has('package.yaml')) return true; // rare: let cosmiconfig parse it
    if (here.has('package.json')) {
      // The `nrfutil` key, or (in cwd) a `cosmiconfig` key that can add search places.
      if (packageJsonMayHold(path.join(dir, 'package.json'), moduleName, dir === path.resolve(cwd))) return true;
      return false; // the project root: cosmiconfig stops here
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

function configDirMayHold(configDir: string, moduleName: string, isCwd: boolean): boolean {
  try {
    return fs.readdirSync(configDir).some((n) => n.startsWith(`${moduleName}rc`) || (isCwd && n.startsWith('config.')));
  } catch {
    return false; // not a directory, or unreadable: cosmiconfig finds nothing there either
  }
}

function packageJsonMayHold(file: string, moduleName: string, isCwd: boolean): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  try {
    const pkg = JSON.parse(text) as Record<string, unknown>;
    if (typeof pkg !== 'object' || pkg === null) return false;
    return Object.hasOwn(pkg, moduleName) || (isCwd && Object.hasOwn(pkg, 'cosmiconfig'));
  } catch {
    return true; // broken JSON: cosmiconfig reports it
  }
}
