import fs from 'node:fs';
import path from 'node:path';
import { Worker, WorkerOptions } from 'node:worker_threads';
import { NrfutilError } from '../core/errors';

/**
 * Where a worker thread's module is: beside this one, as JavaScript in the build (tsc's
 * dist/fleet, or dist/bundle, where scripts/bundle.js gives each worker its own entry),
 * as TypeScript when this module itself runs from src (ts-jest).
 */
export function workerEntry(name: string, dir = __dirname): { file: string; typescript: boolean } {
  const js = path.join(dir, `${name}.js`);
  if (fs.existsSync(js)) return { file: js, typescript: false };
  const ts = path.join(dir, `${name}.ts`);
  if (fs.existsSync(ts)) return { file: ts, typescript: true };
  throw new NrfutilError(`the ${name} worker is missing (${js}); rebuild nrfutil-ts (npm run build)`);
}

/**
 * Starts the worker thread `name`. From src, the thread compiles the TypeScript it loads
 * with esbuild (a devDependency, as is running from src), so tests exercise the sources.
 */
export function startWorker(name: string, options: WorkerOptions): Worker {
  const entry = workerEntry(name);
  if (!entry.typescript) return new Worker(entry.file, options);
  const bootstrap = [
    "const fs = require('node:fs');",
    `const { transformSync } = require(${JSON.stringify(require.resolve('esbuild'))});`,
    "require.extensions['.ts'] = (module, filename) => module._compile(transformSync(fs.readFileSync(filename, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: filename, sourcemap: 'inline' }).code, filename);",
    `require(${JSON.stringify(entry.file)});`,
  ].join('\n');
  return new Worker(bootstrap, { ...options, eval: true });
}
