import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The directories searched for an `nrfutil` config, nearest first: from the working
 * directory up to the project root (the nearest directory holding package.json or .git)
 * or the home directory, whichever is nearer. Outside both, only the working directory.
 * Never further: a config file is code (a .js file, or plugins it names), and one left
 * in a shared temporary directory or a parent of the home directory must not run.
 */
export function configSearchDirs(cwd: string, home = os.homedir()): string[] {
  const start = path.resolve(cwd);
  const dirs: string[] = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    dirs.push(dir);
    if (dir === path.resolve(home) || isProjectRoot(dir)) return dirs;
    if (path.dirname(dir) === dir) return [start];
  }
}

function isProjectRoot(dir: string): boolean {
  return ['package.json', '.git'].some((marker) => fs.existsSync(path.join(dir, marker)));
}

/**
 * Why a config file must not be loaded, or undefined when it may: it has to belong to
 * the user running the command (or root) and be writable by nobody else.
 */
export function unsafeConfigReason(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined; // cosmiconfig reports a file it cannot read
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid && stat.uid !== 0) return `it belongs to another user (uid ${stat.uid})`;
  if (stat.mode & 0o022) return 'other users can write to it';
  return undefined;
}
