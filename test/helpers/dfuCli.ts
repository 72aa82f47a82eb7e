import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT } from './cli';

export interface AsyncCliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process (a pty served from this process must keep answering). */
export function runCliAsync(args: string[]): Promise<AsyncCliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface SimulatorProcess {
  port: string;
  /** The JSON lines it printed so far (ready line first). */
  events(): Record<string, unknown>[];
  /** Resolves with its exit code once it ends. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
  stderr(): string;
}

export const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-dfu-'));

/** `dfu simulate --json --link <tmp>/tty …`, started and ready. */
export function startSimulate(args: string[]): Promise<SimulatorProcess> {
  const link = path.join(tempDir(), 'tty');
  const child: ChildProcess = spawn(process.execPath, [BIN, 'dfu', 'simulate', '--json', '--link', link, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const events = () =>
    stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n') && events()[0]?.event === 'ready')
        resolve({
          port: link,
          events,
          exited,
          stderr: () => stderr,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
    });
    exited.then((code) => reject(new Error(`dfu simulate exited (${code}) before it was ready: ${stderr}`)));
  });
}
