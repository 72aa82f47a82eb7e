import type { Pool, PoolClient } from 'pg';
import { NrfutilError } from '../core/errors';
import { AUDIT_COLUMNS, auditFromRow, auditValues, nextRecords, pageOf, type AuditEntry, type AuditPage, type AuditRecord, type AuditRow } from './audit';
import { redactDatabaseUrl, redactMessage } from './databaseUrl';
import { HttpError } from './errors';
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

type Pg = typeof import('pg');

/** pg is loaded only when a PostgreSQL URL is given (it stays out of the CLI bundle). */
const loadPg = () => requireOptional<Pg>('pg', '--database needs the pg package: npm install pg@8');

/**
 * Advisory lock keys (two int4: this service's namespace, then the purpose). Advisory locks
 * belong to one database, so two services in two databases of one cluster do not meet.
 */
const LOCK_NAMESPACE = 0x6e726674; // 'nrft'
const SCHEMA_LOCK = 1;
const AUDIT_LOCK = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, grp TEXT, hw_version BIGINT);
CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, scope TEXT NOT NULL,
  label TEXT, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS releases (id TEXT PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL, images TEXT NOT NULL, created_at TEXT NOT NULL,
  zip BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS audit (seq BIGINT PRIMARY KEY, time TEXT NOT NULL, token_id TEXT, device TEXT, release TEXT,
  request_sha256 TEXT, package_sha256 TEXT, result TEXT NOT NULL, status INTEGER NOT NULL, client TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
`;

const RELEASE_COLUMNS = 'id, name, state, images, created_at';
/** Rows per INSERT of a device import (arrays through unnest: one round trip per chunk). */
const DEVICE_CHUNK = 5000;

/**
 * Errors that mean "the database is not there" (refused, dropped, shutting down, too many
 * clients) rather than "this statement is wrong": the service answers those with 503.
 */
function isUnavailable(e: unknown, pg: Pg): boolean {
  const err = e as { code?: string; message?: string; syscall?: string };
  if (e instanceof pg.DatabaseError) return /^(08|57P|53)/.test(err.code ?? '');
  return err.syscall === 'connect' || /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NOTFOUND|AI_AGAIN)$/.test(err.code ?? '') || /Connection terminated|timeout exceeded when trying to connect/i.test(err.message ?? '');
}

/** 503 for clients; what the driver said (without the password) stays for the service log. */
export class DatabaseUnavailable extends HttpError {
  constructor(readonly detail: string) {
    super(503, 'unavailable', 'the database is unavailable (details in the service log)');
  }
}

/**
 * The shared store: several service instances (behind a load balancer) on one PostgreSQL
 * database share devices, tokens, releases and their zips (BYTEA: no shared file system
 * needed) and one audit chain. The schema is created on start, under an advisory lock, so
 * two instances starting at once do not race on CREATE TABLE.
 */
export class PostgresStore implements ServiceStore {
  readonly location: string;

  private constructor(
    private readonly pool: Pool,
    private readonly pg: Pg,
    private readonly url: string,
  ) {
    this.location = `database ${redactDatabaseUrl(url)}`;
  }

  /** Connects, creates the schema if missing; one clear line (without the password) when it cannot. */
  static async open(url: string, options: { maxConnections?: number } = {}): Promise<PostgresStore> {
    const pg = loadPg();
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, connectionTimeoutMillis: 10_000 });
    // an idle connection the server dropped: the pool forgets it; the next query reports the outage
    pool.on('error', () => undefined);
    const store = new PostgresStore(pool, pg, url);
    try {
      await store.transaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, SCHEMA_LOCK]);
        await c.query(SCHEMA);
      });
    } catch (caught) {
      const e = caught instanceof DatabaseUnavailable ? { message: caught.detail } : caught;
      await pool.end().catch(() => undefined);
      const message = redactMessage((e as Error).message.split('\n')[0] || String((e as { code?: string }).code ?? e), url);
      throw new NrfutilError(`cannot open the service database ${redactDatabaseUrl(url)}: ${message}`);
    }
    return store;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** A query; an outage becomes a 503 for the service (its message without the URL or password). */
  private async query<R>(sql: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query(sql, values)).rows as R[];
    } catch (e) {
      throw this.translate(e);
    }
  }

  private translate(e: unknown): unknown {
    return isUnavailable(e, this.pg) ? new DatabaseUnavailable(redactMessage((e as Error).message, this.url)) : e;
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.translate(e);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw this.translate(e);
    } finally {
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  // ---- devices
  async upsertDevices(devices: Device[]): Promise<void> {
    await this.transaction(async (c) => {
      for (let i = 0; i < devices.length; i += DEVICE_CHUNK) {
        const chunk = devices.slice(i, i + DEVICE_CHUNK);
        await c.query(
          `INSERT INTO devices (id, grp, hw_version) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
           ON CONFLICT (id) DO UPDATE SET grp = excluded.grp, hw_version = excluded.hw_version`,
          [chunk.map((d) => d.id), chunk.map((d) => d.group), chunk.map((d) => d.hwVersion)],
        );
      }
    });
  }

  async device(id: string): Promise<Device | undefined> {
    const [row] = await this.query<DeviceRow>('SELECT id, grp, hw_version FROM devices WHERE id = $1', [id]);
    return row && deviceFromRow(row);
  }

  async anyDevice(): Promise<string | undefined> {
    const [row] = await this.query<{ id: string }>('SELECT id FROM devices ORDER BY id LIMIT 1');
    return row?.id;
  }

  async deviceCount(): Promise<number> {
    const [row] = await this.query<{ n: string }>('SELECT COUNT(*) AS n FROM devices');
    return Number(row.n);
  }

  // ---- tokens: only SHA-256 hashes of the secrets are kept
  async createToken(role: Role, scope: string[], opts: TokenOptions = {}): Promise<{ token: string; record: TokenRecord }> {
    const { token, record, hash } = newToken(role, scope, opts);
    await this.query('INSERT INTO tokens (id, hash, role, scope, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      record.id,
      hash,
      role,
      JSON.stringify(scope),
      record.label,
      record.createdAt,
      record.expiresAt,
    ]);
    return { token, record };
  }

  async tokenBySecret(token: string): Promise<TokenRecord | undefined> {
    const [row] = await this.query<TokenRow>('SELECT * FROM tokens WHERE hash = $1', [sha256Hex(token)]);
    return row && tokenFromRow(row);
  }

  async tokens(): Promise<TokenRecord[]> {
    return (await this.query<TokenRow>('SELECT * FROM tokens ORDER BY created_at, id')).map(tokenFromRow);
  }

  async revokeToken(id: string, now = new Date()): Promise<boolean> {
    const rows = await this.query('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id', [now.toISOString(), id]);
    return rows.length === 1;
  }

  // ---- releases: the zip is a column of the row, so bytes and row are one INSERT (all or nothing)
  async addRelease(zip: Uint8Array, name: string, images: ReleaseImage[], now = new Date()): Promise<{ release: Release; created: boolean }> {
    const id = sha256Hex(zip);
    const existing = await this.release(id);
    if (existing) return { release: existing, created: false };
    const release: Release = { id, name, state: 'draft', images, createdAt: now.toISOString() };
    const inserted = await this.query(
      `INSERT INTO releases (${RELEASE_COLUMNS}, zip) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, name, release.state, JSON.stringify(images), release.createdAt, Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength)],
    );
    // another instance stored the same bytes in between: theirs stands
    if (inserted.length === 0) return { release: (await this.release(id))!, created: false };
    return { release, created: true };
  }

  async release(id: string): Promise<Release | undefined> {
    const [row] = await this.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases WHERE id = $1`, [id]);
    return row && releaseFromRow(row);
  }

  async releases(): Promise<Release[]> {
    return (await this.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases ORDER BY created_at, id`)).map(releaseFromRow);
  }

  async setReleaseState(id: string, state: ReleaseState): Promise<Release | undefined> {
    const [row] = await this.query<ReleaseRow>(`UPDATE releases SET state = $1 WHERE id = $2 RETURNING ${RELEASE_COLUMNS}`, [state, id]);
    return row && releaseFromRow(row);
  }

  async releaseZip(id: string): Promise<Uint8Array> {
    const [row] = await this.query<{ zip: Buffer }>('SELECT zip FROM releases WHERE id = $1', [id]);
    if (!row) throw new Error(`release ${id} has no stored zip`);
    return new Uint8Array(row.zip.buffer, row.zip.byteOffset, row.zip.byteLength);
  }

  // ---- audit chain
  /**
   * One transaction per batch: a transaction-scoped advisory lock that every instance
   * takes first, then the read of the last record and one INSERT of the whole batch (each
   * record linked to the one before it). The lock is held until COMMIT, so the next writer
   * (of any instance) reads this batch's last record as its predecessor: the chain stays
   * linear however many instances write. (READ COMMITTED takes each statement's snapshot
   * when it starts, that is after the lock was granted.)
   */
  async appendAudit(entries: readonly AuditEntry[], now = new Date()): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    return this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, AUDIT_LOCK]);
      const { rows } = await c.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
      const records = nextRecords(rows[0], entries, now);
      const columns = records.map(auditValues);
      // one array per column through unnest: a single statement whatever the batch size
      await c.query(
        `INSERT INTO audit (${AUDIT_COLUMNS}) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[], $11::text[], $12::text[])`,
        AUDIT_COLUMNS.split(', ').map((_, i) => columns.map((row) => row[i])),
      );
      return records;
    });
  }

  async auditRecords(): Promise<AuditRecord[]> {
    return (await this.query<AuditRow>('SELECT * FROM audit ORDER BY seq')).map(auditFromRow);
  }

  async auditPage(query: { device?: string; release?: string; after: number; limit: number }): Promise<AuditPage> {
    const rows = await this.query<AuditRow>(
      'SELECT * FROM audit WHERE seq > $1 AND ($2::text IS NULL OR device = $2) AND ($3::text IS NULL OR release = $3) ORDER BY seq LIMIT $4',
      [query.after, query.device ?? null, query.release ?? null, query.limit + 1],
    );
    return pageOf(rows.map(auditFromRow), query.limit);
  }
}
