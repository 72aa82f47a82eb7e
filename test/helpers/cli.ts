import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'run.js');
export const CORPUS = path.join(ROOT, 'test', 'fixtures', 'conformance');
export const INPUTS = path.join(CORPUS, 'inputs');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd` the way a user would; stdin empty unless given. */
export function runCli(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const res: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: 60_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A fresh temporary directory holding copies of the named corpus inputs. */
export function tempDirWith(...inputs: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-test-'));
  for (const f of inputs) fs.copyFileSync(path.join(INPUTS, f), path.join(dir, f));
  return dir;
}

export function input(name: string): Buffer {
  return fs.readFileSync(path.join(INPUTS, name));
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/**
 * `nrfutil-ts serve ARGS` as a user starts it, in a child process: resolves with its address
 * (http or https) once it says it listens; rejects with its stderr if it exits first.
 * `preload` is a node `-r` module (a test's hook into the process).
 */
export function spawnServe(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; preload?: string; stdout?: 'ignore' | 'pipe' }): Promise<ServeProcess> {
  const node = options.preload ? ['-r', options.preload] : [];
  const child = spawn(process.execPath, [...node, BIN, 'serve', ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /listening on (https?:\/\/\S+)/.exec(err);
      if (m) resolve({ child, url: m[1], stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}
