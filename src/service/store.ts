import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../node/atomicFile';
import { NrfutilError } from '../core/errors';

/**
 * better-sqlite3 is an optional peer dependency: it compiles native code, which users of
 * the command line and the library should not pay for. Loaded when a store is opened.
 */
function loadSqlite(): typeof Database {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('better-sqlite3') as typeof Database;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new NrfutilError('The signing service needs better-sqlite3: npm install better-sqlite3@12');
    throw e;
  }
}

export type Role = 'admin' | 'release' | 'field';
export const ROLES: readonly Role[] = ['admin', 'release', 'field'];
export type ReleaseState = 'draft' | 'approved' | 'revoked';

export interface Device {
  id: string;
  group: string | null;
  hwVersion: number | null;
}

export interface TokenRecord {
  id: string;
  role: Role;
  scope: string[];
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface ReleaseImage {
  kind: string;
  binFile: string;
  datFile: string;
  size: number;
  type: number;
  fwVersion: number | null;
  hwVersion: number | null;
  firmwareSha256: string;
}

export interface Release {
  id: string;
  name: string;
  state: ReleaseState;
  images: ReleaseImage[];
  createdAt: string;
}

const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

const SCHEMA = `
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, grp TEXT, hw_version INTEGER);
CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, scope TEXT NOT NULL,
  label TEXT, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS releases (id TEXT PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL, images TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, token_id TEXT, device TEXT, release TEXT,
  request_sha256 TEXT, package_sha256 TEXT, result TEXT NOT NULL, status INTEGER NOT NULL, client TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
`;

/**
 * The service's embedded store: SQLite (WAL, so `serve token …` can run beside a running
 * server) for devices, token hashes, releases and the audit chain; release zips live
 * beside it, content-addressed (releases/<sha256>.zip, written temp + rename so an
 * interrupted upload leaves no half file). Private keys are never stored here.
 */
export class Store {
  readonly db: Database.Database;
  private readonly blobDir: string;

  constructor(readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.blobDir = path.join(dataDir, 'releases');
    fs.mkdirSync(this.blobDir, { recursive: true });
    const Sqlite = loadSqlite();
    this.db = new Sqlite(path.join(dataDir, 'service.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  ping(): boolean {
    return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  // ---- devices
  upsertDevices(devices: Device[]): void {
    const stmt = this.db.prepare('INSERT INTO devices (id, grp, hw_version) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET grp = excluded.grp, hw_version = excluded.hw_version');
    this.db.transaction(() => devices.forEach((d) => stmt.run(d.id, d.group, d.hwVersion)))();
  }

  device(id: string): Device | undefined {
    const row = this.db.prepare('SELECT id, grp, hw_version FROM devices WHERE id = ?').get(id) as { id: string; grp: string | null; hw_version: number | null } | undefined;
    return row && { id: row.id, group: row.grp, hwVersion: row.hw_version };
  }

  /** Some imported device (the first by id), for a start-up check of the key source. */
  anyDevice(): string | undefined {
    return (this.db.prepare('SELECT id FROM devices ORDER BY id LIMIT 1').get() as { id: string } | undefined)?.id;
  }

  deviceCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM devices').get() as { n: number }).n;
  }

  // ---- tokens: only SHA-256 hashes of the secrets are kept
  createToken(role: Role, scope: string[], opts: { expiresAt?: string | null; label?: string | null; now?: Date } = {}): { token: string; record: TokenRecord } {
    const token = `nrfts_${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id: `tok_${randomBytes(6).toString('hex')}`,
      role,
      scope,
      label: opts.label ?? null,
      createdAt: (opts.now ?? new Date()).toISOString(),
      expiresAt: opts.expiresAt ?? null,
      revokedAt: null,
    };
    this.db
      .prepare('INSERT INTO tokens (id, hash, role, scope, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(record.id, sha256Hex(token), role, JSON.stringify(scope), record.label, record.createdAt, record.expiresAt);
    return { token, record };
  }

  tokenBySecret(token: string): TokenRecord | undefined {
    const row = this.db.prepare('SELECT * FROM tokens WHERE hash = ?').get(sha256Hex(token)) as TokenRow | undefined;
    return row && tokenFromRow(row);
  }

  tokens(): TokenRecord[] {
    return (this.db.prepare('SELECT * FROM tokens ORDER BY created_at, id').all() as TokenRow[]).map(tokenFromRow);
  }

  revokeToken(id: string, now = new Date()): boolean {
    return this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now.toISOString(), id).changes === 1;
  }

  // ---- releases
  releaseBlobPath(id: string): string {
    return path.join(this.blobDir, `${id}.zip`);
  }

  /** Stores a checked release zip under its SHA-256; the same bytes again return the existing release. */
  addRelease(zip: Uint8Array, name: string, images: ReleaseImage[], now = new Date()): { release: Release; created: boolean } {
    const id = sha256Hex(zip);
    const existing = this.release(id);
    if (existing) return { release: existing, created: false };
    // the file first, then the row: a crash in between leaves an unreferenced blob, never a release without bytes
    writeFileAtomic(this.releaseBlobPath(id), zip);
    const release: Release = { id, name, state: 'draft', images, createdAt: now.toISOString() };
    this.db.prepare('INSERT INTO releases (id, name, state, images, created_at) VALUES (?, ?, ?, ?, ?)').run(id, name, release.state, JSON.stringify(images), release.createdAt);
    return { release, created: true };
  }

  release(id: string): Release | undefined {
    const row = this.db.prepare('SELECT * FROM releases WHERE id = ?').get(id) as ReleaseRow | undefined;
    return row && releaseFromRow(row);
  }

  releases(): Release[] {
    return (this.db.prepare('SELECT * FROM releases ORDER BY created_at, id').all() as ReleaseRow[]).map(releaseFromRow);
  }

  setReleaseState(id: string, state: ReleaseState): Release | undefined {
    this.db.prepare('UPDATE releases SET state = ? WHERE id = ?').run(state, id);
    return this.release(id);
  }

  releaseZip(id: string): Uint8Array {
    return fs.readFileSync(this.releaseBlobPath(id));
  }
}

interface TokenRow {
  id: string;
  role: Role;
  scope: string;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}
const tokenFromRow = (r: TokenRow): TokenRecord => ({
  id: r.id,
  role: r.role,
  scope: JSON.parse(r.scope) as string[],
  label: r.label,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

interface ReleaseRow {
  id: string;
  name: string;
  state: ReleaseState;
  images: string;
  created_at: string;
}
const releaseFromRow = (r: ReleaseRow): Release => ({ id: r.id, name: r.name, state: r.state, images: JSON.parse(r.images) as ReleaseImage[], createdAt: r.created_at });
