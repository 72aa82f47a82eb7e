import { createHash } from 'node:crypto';
import type { Store } from './store';

/** What happened to one request that could sign or refuse to sign. No secret goes in here. */
export interface AuditEntry {
  tokenId: string | null;
  device: string | null;
  release: string | null;
  /** SHA-256 of the request body that was to be signed (two-phase), when there was one. */
  requestSha256: string | null;
  /** SHA-256 of the package (or init packet, firmware) served. */
  packageSha256: string | null;
  /** `signed`, `served`, or `refused: <error>`. */
  result: string;
  status: number;
  client: string | null;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  time: string;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash a record carries: over its own fields and the hash of the record before it.
 * The sequence number is left out on purpose: the previous-hash link fixes the order,
 * so a record moved to another place reads as moved, not as changed.
 */
export function recordHash(r: Omit<AuditRecord, 'hash'>): string {
  const fields = [r.time, r.tokenId, r.device, r.release, r.requestSha256, r.packageSha256, r.result, r.status, r.client, r.prevHash];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

interface AuditRow {
  seq: number;
  time: string;
  token_id: string | null;
  device: string | null;
  release: string | null;
  request_sha256: string | null;
  package_sha256: string | null;
  result: string;
  status: number;
  client: string | null;
  prev_hash: string;
  hash: string;
}

const fromRow = (r: AuditRow): AuditRecord => ({
  seq: r.seq,
  time: r.time,
  tokenId: r.token_id,
  device: r.device,
  release: r.release,
  requestSha256: r.request_sha256,
  packageSha256: r.package_sha256,
  result: r.result,
  status: r.status,
  client: r.client,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * Appends a record to the chain. The read of the last hash and the insert are one
 * IMMEDIATE transaction, so writers (threads of this process or other processes on the
 * same file) keep the chain linear.
 */
export function appendAudit(store: Store, entry: AuditEntry, now = new Date()): AuditRecord {
  return appendAuditBatch(store, [entry], now)[0];
}

/**
 * Appends several records, in order, in one IMMEDIATE transaction: one commit for a
 * burst of requests (auditQueue.ts), and the chain as linear as one at a time, since
 * each record links to the one before it inside the same locked transaction.
 */
export function appendAuditBatch(store: Store, entries: readonly AuditEntry[], now = new Date()): AuditRecord[] {
  const db = store.db;
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    'INSERT INTO audit (seq, time, token_id, device, release, request_sha256, package_sha256, result, status, client, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return db
    .transaction(() => {
      let prev = last.get() as { seq: number; hash: string } | undefined;
      return entries.map((entry) => {
        const base = { ...entry, seq: (prev?.seq ?? 0) + 1, time: now.toISOString(), prevHash: prev?.hash ?? GENESIS_HASH };
        const record: AuditRecord = { ...base, hash: recordHash(base) };
        insert.run(record.seq, record.time, record.tokenId, record.device, record.release, record.requestSha256, record.packageSha256, record.result, record.status, record.client, record.prevHash, record.hash);
        prev = record;
        return record;
      });
    })
    .immediate();
}

export function auditRecords(store: Store, filter: { device?: string; release?: string } = {}): AuditRecord[] {
  const rows = store.db
    .prepare('SELECT * FROM audit WHERE (@device IS NULL OR device = @device) AND (@release IS NULL OR release = @release) ORDER BY seq')
    .all({ device: filter.device ?? null, release: filter.release ?? null }) as AuditRow[];
  return rows.map(fromRow);
}

export interface AuditPage {
  records: AuditRecord[];
  /** The `after` that fetches the next page; null on the last page. */
  next: number | null;
}

export const AUDIT_PAGE_DEFAULT = 1000;
export const AUDIT_PAGE_MAX = 10_000;

/**
 * One page of audit records in sequence order: those after sequence number `after`
 * (0: from the start), at most `limit`, filtered by device and release. Keyset paging
 * (seq > after) stays correct while records are appended between pages.
 */
export function auditPage(store: Store, filter: { device?: string; release?: string; after?: number; limit?: number }): AuditPage {
  const limit = Math.min(filter.limit ?? AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX);
  const rows = store.db
    .prepare('SELECT * FROM audit WHERE seq > @after AND (@device IS NULL OR device = @device) AND (@release IS NULL OR release = @release) ORDER BY seq LIMIT @limit')
    .all({ after: filter.after ?? 0, device: filter.device ?? null, release: filter.release ?? null, limit: limit + 1 }) as AuditRow[];
  const records = rows.slice(0, limit).map(fromRow);
  return { records, next: rows.length > limit ? records[records.length - 1].seq : null };
}

export interface ChainVerdict {
  ok: boolean;
  records: number;
  /** The first problem, naming the record, when not ok. */
  problem?: string;
}

/**
 * Walks the chain in sequence order. A changed record no longer matches its own hash; a
 * removed one leaves a gap in the sequence and a previous-hash that points nowhere; a
 * reordered one carries the previous-hash of a different neighbour.
 */
export function verifyAuditChain(records: AuditRecord[]): ChainVerdict {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const r of records) {
    if (r.seq !== expectedSeq)
      return { ok: false, records: records.length, problem: `record ${expectedSeq} was removed (the chain goes from record ${expectedSeq - 1} to record ${r.seq})` };
    const { hash, ...rest } = r;
    if (recordHash(rest) !== hash) return { ok: false, records: records.length, problem: `record ${r.seq} was changed (its contents do not match its hash)` };
    if (r.prevHash !== expectedPrev)
      return { ok: false, records: records.length, problem: `record ${r.seq} is out of place (removed or reordered: it does not follow record ${r.seq - 1})` };
    expectedPrev = hash;
    expectedSeq++;
  }
  return { ok: true, records: records.length };
}
