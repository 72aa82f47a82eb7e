import { spawnSync, SpawnSyncReturns } from 'node:child_process';
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
