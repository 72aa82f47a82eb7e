import type { Worker } from 'node:worker_threads';
import { FatalError, NrfutilError } from '../core/errors';
import { onInterrupt } from '../node/temporaryFiles';
import type { DeviceResult } from './deviceOutput';
import { startWorker } from './workerEntry';
import type { SigningWorkerData, WorkerJob, WorkerMessage } from './workerProtocol';

/**
 * Jobs queued per thread: enough that none waits for the next; a job that carries its own
 * plan (its firmware) holds memory, so fewer of those.
 */
const QUEUE_PER_WORKER = 64;
const QUEUE_PER_WORKER_WITH_PLAN = 4;

interface Thread {
  worker: Worker;
  queued: number;
  exited: Promise<void>;
}

/**
 * Signing worker threads fed one device at a time: each job goes to the thread with the
 * shortest queue; submit() waits while every queue is full. Results arrive as threads
 * finish them (the batch puts them back in list order).
 */
export class WorkerPool {
  private readonly threads: Thread[] = [];
  private readonly forgetInterrupt: () => void;
  private wake: () => void = () => undefined;
  private failed: unknown;

  constructor(
    count: number,
    data: SigningWorkerData,
    onResult: (r: DeviceResult) => void,
    warn: (message: string) => void,
    onNotes: (device: string, text: string) => void,
  ) {
    for (let i = 0; i < count; i++) {
      const worker = startWorker('softwareWorker', { workerData: data });
      const thread: Thread = { worker, queued: 0, exited: Promise.resolve() };
      thread.exited = new Promise<void>((resolve) => {
        worker.on('message', (message: WorkerMessage) => {
          if ('warning' in message) return warn(message.warning);
          if ('notes' in message) return onNotes(message.device, message.notes);
          thread.queued--;
          if (message.fatal) this.fail(new FatalError(message.result.error ?? 'fatal error'));
          else onResult(message.result);
          this.wake();
        });
        worker.on('error', (e) => this.fail(new NrfutilError(`a signing worker failed (${e.message.split('\n')[0]})`)));
        worker.on('exit', (code) => {
          if (code !== 0) this.fail(new NrfutilError(`a signing worker stopped (exit ${code})`));
          resolve();
        });
      });
      this.threads.push(thread);
    }
    // On Ctrl-C or SIGTERM the threads stop before their temporary files are swept.
    this.forgetInterrupt = onInterrupt(() => this.terminate());
  }

  private fail(e: unknown): void {
    this.failed ??= e;
    this.wake();
  }

  async submit(job: Extract<WorkerJob, { device: string }>): Promise<void> {
    for (;;) {
      if (this.failed) throw this.failed;
      const thread = this.threads.reduce((a, b) => (b.queued < a.queued ? b : a));
      if (thread.queued < (job.plan ? QUEUE_PER_WORKER_WITH_PLAN : QUEUE_PER_WORKER)) {
        thread.queued++;
        thread.worker.postMessage(job);
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Lets every thread finish its jobs and files, then waits for them to stop. */
  async finish(): Promise<void> {
    for (const t of this.threads) t.worker.postMessage({ end: true } satisfies WorkerJob);
    await Promise.all(this.threads.map((t) => t.exited));
    this.forgetInterrupt();
    if (this.failed) throw this.failed;
  }

  async terminate(): Promise<void> {
    this.forgetInterrupt();
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
