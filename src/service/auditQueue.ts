import { appendAuditBatch, AuditEntry, AuditRecord } from './audit';
import type { Store } from './store';

/**
 * Group commit for the audit chain: records of requests that finish in the same turn of
 * the event loop are written in one transaction (appendAuditBatch) instead of one
 * each. A request still waits for its own record to be committed before its response
 * leaves, so nothing is served unaudited; a failed write fails every request of that
 * batch (their responses become errors), as a single write would.
 */
export class AuditQueue {
  private pending: { entry: AuditEntry; resolve: (r: AuditRecord) => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly store: Store) {}

  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      if (this.pending.push({ entry, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    try {
      const records = appendAuditBatch(
        this.store,
        batch.map((b) => b.entry),
      );
      batch.forEach((b, i) => b.resolve(records[i]));
    } catch (e) {
      batch.forEach((b) => b.reject(e));
    }
  }
}
