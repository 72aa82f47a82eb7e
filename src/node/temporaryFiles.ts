import fs from 'node:fs';
import path from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';

// node:worker_threads costs a single command ~1.5 ms to load; asked only when a temporary
// file is named or swept (the CLI's hot path loads it no sooner than it needs it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const workerThreads = (): typeof WorkerThreads => require('node:worker_threads') as typeof WorkerThreads;

/**
 * Temporary files (written, then renamed into place) that never outlive the process:
 * on SIGINT, SIGTERM or SIGHUP every temporary file this process created is removed,
 * worker threads' included, before it exits with 128 + the signal number (130, 143, 129);
 * a file left by a process that was killed outright (SIGKILL) is recognised by its name
 * (our suffix and a process id that no longer runs) and removed by the next run that
 * writes in that directory.
 */

const SUFFIX = '.nrfutil-ts.tmp';
/** `.NAME.PID.THREAD.COUNTER.nrfutil-ts.tmp` */
const TEMPORARY_NAME = /^\..+\.(\d+)\.\d+\.\d+\.nrfutil-ts\.tmp$/;
const SIGNAL_EXIT_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

let counter = 0;
/** Directories this process writes temporary files in (any thread's). */
const directories = new Set<string>();
/** Run before the sweep when a signal arrives (a batch stops its worker threads). */
const stopHooks = new Set<() => Promise<unknown>>();
let interrupted = false;
let handlersInstalled = false;
/** False for a command that ends on a signal by design (a server): we sweep, it exits. */
let exitOnSignal = true;

/** The command stops itself on SIGINT/SIGTERM (a server, a simulator): only sweep, never exit. */
export function leaveExitToCommand(): void {
  exitOnSignal = false;
}

/** A temporary name beside `target`, unique per process, thread and call. */
export function temporaryNameFor(target: string): string {
  if (interrupted) throw new Error('interrupted');
  const dir = path.dirname(path.resolve(target));
  watchDirectory(dir);
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${workerThreads().threadId}.${++counter}${SUFFIX}`);
}

/**
 * From now on temporary files in `dir` are swept on a signal. The first time a
 * directory is seen, leftovers of killed runs are removed from it.
 */
export function watchDirectory(dir: string): void {
  const resolved = path.resolve(dir);
  if (directories.has(resolved)) return;
  directories.add(resolved);
  if (!workerThreads().isMainThread) return; // the main thread sweeps; workers' directories are registered there
  installSignalHandlers();
  removeLeftovers(resolved);
}

/** `hook` runs (and is awaited, briefly) before the sweep when a signal arrives. */
export function onInterrupt(hook: () => Promise<unknown>): () => void {
  stopHooks.add(hook);
  return () => stopHooks.delete(hook);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ourTemporaryFiles(dir: string, owner: (pid: number) => boolean): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const match = TEMPORARY_NAME.exec(name);
    return match !== null && owner(Number(match[1]));
  });
}

function removeLeftovers(dir: string): void {
  for (const name of ourTemporaryFiles(dir, (pid) => pid !== process.pid && !isRunning(pid))) fs.rmSync(path.join(dir, name), { force: true });
}

function sweep(): void {
  for (const dir of directories) for (const name of ourTemporaryFiles(dir, (pid) => pid === process.pid)) fs.rmSync(path.join(dir, name), { force: true });
}

async function interrupt(signal: string): Promise<void> {
  if (interrupted) return;
  interrupted = true;
  if (!exitOnSignal) return sweep();
  // Workers first, so none starts a new temporary file after the sweep.
  const stopped = Promise.allSettled([...stopHooks].map((hook) => hook()));
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 1000))]);
  sweep();
  // A write the kernel was already doing when the workers stopped lands within moments.
  await new Promise((resolve) => setTimeout(resolve, 25));
  sweep();
  process.exit(SIGNAL_EXIT_CODES[signal]);
}

/** Every command calls this first: a signal then always exits 128 + its number, after the sweep. */
export function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.on(signal, () => void interrupt(signal));
}
