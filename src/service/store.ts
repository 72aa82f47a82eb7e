import { createHash, randomBytes } from 'node:crypto';
import { NrfutilError } from '../core/errors';
import type { AuditEntry, AuditPage, AuditRecord } from './audit';

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

export interface TokenOptions {
  expiresAt?: string | null;
  label?: string | null;
  now?: Date;
}

/**
 * What the service keeps: devices, token hashes, releases (their zips too) and the audit
 * chain. Two back-ends implement it: SQLite in a data directory (sqliteStore.ts, one
 * instance) and PostgreSQL (postgresStore.ts, several instances sharing one database).
 * Private keys are never stored.
 */
export interface ServiceStore {
  /** Where the data lives, for messages: `data DIR` or `database postgres://user@host/db` (never a password). */
  readonly location: string;
  close(): Promise<void>;
  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;

  upsertDevices(devices: Device[]): Promise<void>;
  device(id: string): Promise<Device | undefined>;
  /** Some imported device (the first by id), for a start-up check of the key source. */
  anyDevice(): Promise<string | undefined>;
  deviceCount(): Promise<number>;

  /** A new random token; only its SHA-256 is stored. The secret is returned once. */
  createToken(role: Role, scope: string[], opts?: TokenOptions): Promise<{ token: string; record: TokenRecord }>;
  tokenBySecret(token: string): Promise<TokenRecord | undefined>;
  tokens(): Promise<TokenRecord[]>;
  revokeToken(id: string, now?: Date): Promise<boolean>;

  /**
   * Stores a checked release zip under its SHA-256, bytes and row at once (an interrupted
   * upload leaves no half release); the same bytes again return the existing release.
   */
  addRelease(zip: Uint8Array, name: string, images: ReleaseImage[], now?: Date): Promise<{ release: Release; created: boolean }>;
  release(id: string): Promise<Release | undefined>;
  releases(): Promise<Release[]>;
  setReleaseState(id: string, state: ReleaseState): Promise<Release | undefined>;
  releaseZip(id: string): Promise<Uint8Array>;

  /**
   * Appends records, in order, in one transaction (group commit: one commit for a burst of
   * requests, see auditQueue.ts). Each links to the one before it inside that transaction,
   * and concurrent writers (of any instance) wait for it, so the chain stays linear.
   */
  appendAudit(entries: readonly AuditEntry[], now?: Date): Promise<AuditRecord[]>;
  /** The whole chain, in sequence order (serve audit verify/head). */
  auditRecords(): Promise<AuditRecord[]>;
  /** Records with seq > after, oldest first, at most `limit` (audit.ts's auditPage checks the bounds). */
  auditPage(query: { device?: string; release?: string; after: number; limit: number }): Promise<AuditPage>;
}

export const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** A fresh token: the secret (shown once) and the record kept, the same on every back-end. */
export function newToken(role: Role, scope: string[], opts: TokenOptions = {}): { token: string; record: TokenRecord; hash: string } {
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
  return { token, record, hash: sha256Hex(token) };
}

/** Row shapes shared by both back-ends (the same column names). */
export interface TokenRow {
  id: string;
  role: Role;
  scope: string;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}
export const tokenFromRow = (r: TokenRow): TokenRecord => ({
  id: r.id,
  role: r.role,
  scope: JSON.parse(r.scope) as string[],
  label: r.label,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export interface ReleaseRow {
  id: string;
  name: string;
  state: ReleaseState;
  images: string;
  created_at: string;
}
export const releaseFromRow = (r: ReleaseRow): Release => ({ id: r.id, name: r.name, state: r.state, images: JSON.parse(r.images) as ReleaseImage[], createdAt: r.created_at });

export interface DeviceRow {
  id: string;
  grp: string | null;
  hw_version: number | string | null;
}
export const deviceFromRow = (r: DeviceRow): Device => ({ id: r.id, group: r.grp, hwVersion: r.hw_version === null ? null : Number(r.hw_version) });

/**
 * An optional peer dependency of a store (native or network code that users of the command
 * line and the library should not pay for), loaded when that store is opened; missing, it
 * is one line saying what to install.
 */
export function requireOptional<T>(name: string, whenMissing: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new NrfutilError(whenMissing);
    throw e;
  }
}
