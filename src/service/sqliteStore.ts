import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../node/atomicFile';
import { AUDIT_COLUMNS, auditFromRow, auditValues, nextRecords, pageOf, type AuditEntry, type AuditPage, type AuditRecord, type AuditRow } from './audit';
import {
  deviceFromRow,
  newToken,
  releaseFromRow,
  requireOptional,
  sha256Hex,
  tokenFromRow,
  type Device,
  type DeviceRow,
  type Release,
  type ReleaseImage,
  type ReleaseRow,
  type ReleaseState,
  type Role,
  type ServiceStore,
  type TokenOptions,
  type TokenRecord,
  type TokenRow,
} from './store';

/**
 * better-sqlite3 is an optional peer dependency: it compiles native code, which users of
 * the command line and the library should not pay for. Loaded when a store is opened.
 */
const loadSqlite = () => requireOptional<typeof Database>('better-sqlite3', 'The signing service needs better-sqlite3: npm install better-sqlite3@12');

const SCHEMA = `
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, grp TEXT, hw_version INTEGER);
CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, scope TEXT NOT NULL,
  label TEXT, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS releases (id TEXT PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL, images TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, token_id TEXT, device TEXT, release TEXT,
  request_sha256 TEXT, package_sha256 TEXT, result TEXT NOT NULL, status INTEGER NOT NULL, client TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
`;

/**
 * The embedded store: SQLite (WAL, so `serve token …` can run beside a running server) in
 * a data directory; release zips live beside it, content-addressed (releases/<sha256>.zip,
 * written temp + rename). better-sqlite3 is synchronous: each method runs to its end before
 * another starts, so one process never interleaves two transactions.
 */
export class SqliteStore implements ServiceStore {
  private readonly db: Database.Database;
  private readonly blobDir: string;
  readonly location: string;

  constructor(readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.blobDir = path.join(dataDir, 'releases');
    fs.mkdirSync(this.blobDir, { recursive: true });
    const Sqlite = loadSqlite();
    this.db = new Sqlite(path.join(dataDir, 'service.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.location = `data ${dataDir}`;
  }

  /** Each SQL text is prepared once (better-sqlite3 does not cache; preparing costs ~4x a lookup). */
  private readonly statements = new Map<string, Database.Statement>();
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async ping(): Promise<void> {
    this.sql('SELECT 1 AS ok').get();
  }

  // ---- devices
  async upsertDevices(devices: Device[]): Promise<void> {
    const stmt = this.sql('INSERT INTO devices (id, grp, hw_version) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET grp = excluded.grp, hw_version = excluded.hw_version');
    this.db.transaction(() => devices.forEach((d) => stmt.run(d.id, d.group, d.hwVersion)))();
  }

  async device(id: string): Promise<Device | undefined> {
    const row = this.sql('SELECT id, grp, hw_version FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
    return row && deviceFromRow(row);
  }

  async anyDevice(): Promise<string | undefined> {
    return (this.sql('SELECT id FROM devices ORDER BY id LIMIT 1').get() as { id: string } | undefined)?.id;
  }

  async deviceCount(): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM devices').get() as { n: number }).n;
  }

  // ---- tokens: only SHA-256 hashes of the secrets are kept
  async createToken(role: Role, scope: string[], opts: TokenOptions = {}): Promise<{ token: string; record: TokenRecord }> {
    const { token, record, hash } = newToken(role, scope, opts);
    this.sql('INSERT INTO tokens (id, hash, role, scope, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(record.id, hash, role, JSON.stringify(scope), record.label, record.createdAt, record.expiresAt);
    return { token, record };
  }

  async tokenBySecret(token: string): Promise<TokenRecord | undefined> {
    const row = this.sql('SELECT * FROM tokens WHERE hash = ?').get(sha256Hex(token)) as TokenRow | undefined;
    return row && tokenFromRow(row);
  }

  async tokens(): Promise<TokenRecord[]> {
    return (this.sql('SELECT * FROM tokens ORDER BY created_at, id').all() as TokenRow[]).map(tokenFromRow);
  }

  async revokeToken(id: string, now = new Date()): Promise<boolean> {
    return this.sql('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now.toISOString(), id).changes === 1;
  }

  // ---- releases
  releaseBlobPath(id: string): string {
    return path.join(this.blobDir, `${id}.zip`);
  }

  async addRelease(zip: Uint8Array, name: string, images: ReleaseImage[], now = new Date()): Promise<{ release: Release; created: boolean }> {
    const id = sha256Hex(zip);
    const existing = await this.release(id);
    if (existing) return { release: existing, created: false };
    // the file first (temp + rename), then the row: a crash in between leaves an unreferenced blob, never a release without bytes
    writeFileAtomic(this.releaseBlobPath(id), zip);
    const release: Release = { id, name, state: 'draft', images, createdAt: now.toISOString() };
    const inserted = this.sql('INSERT INTO releases (id, name, state, images, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING')
      .run(id, name, release.state, JSON.stringify(images), release.createdAt);
    // another process on the same file may have stored the same bytes in between
    if (inserted.changes === 0) return { release: (await this.release(id))!, created: false };
    return { release, created: true };
  }

  async release(id: string): Promise<Release | undefined> {
    const row = this.sql('SELECT * FROM releases WHERE id = ?').get(id) as ReleaseRow | undefined;
    return row && releaseFromRow(row);
  }

  async releases(): Promise<Release[]> {
    return (this.sql('SELECT * FROM releases ORDER BY created_at, id').all() as ReleaseRow[]).map(releaseFromRow);
  }

  async setReleaseState(id: string, state: ReleaseState): Promise<Release | undefined> {
    this.sql('UPDATE releases SET state = ? WHERE id = ?').run(state, id);
    return this.release(id);
  }

  async releaseZip(id: string): Promise<Uint8Array> {
    return fs.readFileSync(this.releaseBlobPath(id));
  }

  // ---- audit chain
  /**
   * The read of the last hash and the inserts are one IMMEDIATE transaction (a write lock
   * on the database file from its start), so writers in other processes on the same file
   * keep the chain linear too.
   */
  async appendAudit(entries: readonly AuditEntry[], now = new Date()): Promise<AuditRecord[]> {
    const last = this.sql('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    const insert = this.sql(`INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    return this.db
      .transaction(() => {
        const records = nextRecords(last.get() as { seq: number; hash: string } | undefined, entries, now);
        for (const record of records) insert.run(...auditValues(record));
        return records;
      })
      .immediate();
  }

  async auditRecords(): Promise<AuditRecord[]> {
    return (this.sql('SELECT * FROM audit ORDER BY seq').all() as AuditRow[]).map(auditFromRow);
  }

  async auditPage(query: { device?: string; release?: string; after: number; limit: number }): Promise<AuditPage> {
    const rows = this.sql('SELECT * FROM audit WHERE seq > @after AND (@device IS NULL OR device = @device) AND (@release IS NULL OR release = @release) ORDER BY seq LIMIT @limit')
      .all({ after: query.after, device: query.device ?? null, release: query.release ?? null, limit: query.limit + 1 }) as AuditRow[];
    return pageOf(rows.map(auditFromRow), query.limit);
  }
}
