import { createHash } from 'node:crypto';
import type { ServiceStore } from './store';

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

export interface AuditRow {
  seq: number | string;
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

export const auditFromRow = (r: AuditRow): AuditRecord => ({
  seq: Number(r.seq),
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

/** The record that follows `prev` (the last of the chain, undefined for the first). */
function nextRecord(prev: { seq: number | string; hash: string } | undefined, entry: AuditEntry, now = new Date()): AuditRecord {
  const base = { ...entry, seq: Number(prev?.seq ?? 0) + 1, time: now.toISOString(), prevHash: prev?.hash ?? GENESIS_HASH };
  return { ...base, hash: recordHash(base) };
}

/** The columns of a record, in the order of AUDIT_COLUMNS. */
export const AUDIT_COLUMNS = 'seq, time, token_id, device, release, request_sha256, package_sha256, result, status, client, prev_hash, hash';
export const auditValues = (r: AuditRecord) => [r.seq, r.time, r.tokenId, r.device, r.release, r.requestSha256, r.packageSha256, r.result, r.status, r.client, r.prevHash, r.hash];

export interface AuditPage {
  records: AuditRecord[];
  /** The `after` that fetches the next page; null on the last page. */
  next: number | null;
}

export interface AuditPageQuery {
  device?: string;
  release?: string;
  /** Records after this sequence number (0: from the start). */
  after?: number;
  limit?: number;
}

export const AUDIT_PAGE_DEFAULT = 1000;
export const AUDIT_PAGE_MAX = 10_000;

/**
 * One page of audit records in sequence order: those after sequence number `after`
 * (0: from the start), at most `limit`, filtered by device and release. Keyset paging
 * (seq > after) stays correct while records are appended between pages.
 */
export function auditPage(store: ServiceStore, query: AuditPageQuery): Promise<AuditPage> {
  return store.auditPage({ ...query, after: query.after ?? 0, limit: Math.min(query.limit ?? AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX) });
}

/** A page from up to `limit + 1` rows a store read: the extra one only tells that there is a next page. */
export function pageOf(rows: AuditRecord[], limit: number): AuditPage {
  const records = rows.slice(0, limit);
  return { records, next: rows.length > limit ? records[records.length - 1].seq : null };
}

/** The records that follow `prev` (the last of the chain, undefined for none), each linked to the one before. */
export function nextRecords(prev: { seq: number | string; hash: string } | undefined, entries: readonly AuditEntry[], now = new Date()): AuditRecord[] {
  let last = prev;
  return entries.map((entry) => {
    const record = nextRecord(last, entry, now);
    last = record;
    return record;
  });
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
/**
 * The end of the chain as kept outside the database (`serve audit head`): a chain can
 * only prove that nothing before its last record changed; records cut off its end, or a
 * chain rebuilt from some record on, are found against a head written down earlier.
 */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/** `SEQ:HASH`, as `serve audit head` prints it; undefined when the text is not one. */
export function parseAuditAnchor(text: string): AuditAnchor | undefined {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2] } : undefined;
}

export const formatAuditAnchor = (record: Pick<AuditRecord, 'seq' | 'hash'>): string => `${record.seq}:${record.hash}`;

export function verifyAuditChain(records: AuditRecord[], anchor?: AuditAnchor): ChainVerdict {
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
  if (anchor) {
    const kept = records[anchor.seq - 1];
    if (!kept)
      return { ok: false, records: records.length, problem: `record ${anchor.seq} (the expected head) is missing: the chain ends at record ${records.length}, so records were removed from its end` };
    if (kept.hash !== anchor.hash) return { ok: false, records: records.length, problem: `record ${anchor.seq} is not the expected head: the chain was rewritten from that record or before` };
  }
  return { ok: true, records: records.length };
}
