import type { AuditEntry, AuditRecord } from './audit';
import type { ServiceStore } from './store';

/**
 * Group commit for the audit chain: records of requests that finish while a write is
 * under way (or in the same turn of the event loop) are written in one transaction
 * (ServiceStore.appendAudit) instead of one each. A request still waits for its own
 * record to be committed before its response leaves, so nothing is served unaudited; a
 * failed write fails every request of that batch (their responses become errors), as a
 * single write would. One batch is in flight at a time, so batches commit in order.
 */
export class AuditQueue {
  private pending: { entry: AuditEntry; resolve: (r: AuditRecord) => void; reject: (e: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly store: ServiceStore) {}

  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      if (this.pending.push({ entry, resolve, reject }) === 1 && !this.writing) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.writing || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.writing = true;
    try {
      const records = await this.store.appendAudit(batch.map((b) => b.entry));
      batch.forEach((b, i) => b.resolve(records[i]));
    } catch (e) {
      batch.forEach((b) => b.reject(e));
    } finally {
      this.writing = false;
      // what arrived during the write goes next, as one batch
      if (this.pending.length > 0) setImmediate(() => void this.flush());
    }
  }
}
