import * as Flags from '@oclif/core/flags';
import path from 'node:path';
import { NrfutilError, UsageError } from '../core/errors';
import { checkDatabaseUrl } from '../service/databaseUrl';
import { PostgresStore } from '../service/postgresStore';
import { SqliteStore } from '../service/sqliteStore';
import type { ServiceStore } from '../service/store';

const DEFAULT_DATA = 'nrfutil-ts-service';
export const DATABASE_ENV = 'NRFUTIL_DATABASE';

/** Where the service keeps its data: a directory (SQLite, the default) or a PostgreSQL database. */
export const dataFlag = {
  data: Flags.string({ description: `Directory of the service database and release files (SQLite) [default: ${DEFAULT_DATA}]` }),
  database: Flags.string({
    description: `PostgreSQL URL (postgres://USER@HOST[:PORT]/DATABASE) shared by several instances, instead of --data; also ${DATABASE_ENV}. Give the password through PGPASSWORD or ~/.pgpass rather than in the URL`,
  }),
};

/**
 * Opens the store the flags name. An explicit --data wins over NRFUTIL_DATABASE in the
 * environment; --data and --database together are a usage error.
 */
export async function openStore(flags: { data?: string; database?: string }, env: NodeJS.ProcessEnv = process.env): Promise<ServiceStore> {
  if (flags.data !== undefined && flags.database !== undefined) throw new UsageError("Use either '--data' (SQLite) or '--database' (PostgreSQL), not both");
  const database = flags.database ?? (flags.data === undefined && env[DATABASE_ENV] ? env[DATABASE_ENV] : undefined);
  if (database !== undefined) {
    checkDatabaseUrl(database);
    return PostgresStore.open(database);
  }
  const dir = flags.data ?? DEFAULT_DATA;
  try {
    return new SqliteStore(path.resolve(dir));
  } catch (e) {
    if (e instanceof NrfutilError) throw e;
    throw new UsageError(`Invalid value for '--data': cannot open the service database in ${dir} (${(e as Error).message.split('\n')[0]})`);
  }
}

/** `--expires`: an ISO date/time, or a duration from now (`90d`, `12h`, `30m`). */
export function parseExpiry(value: string | undefined, now = new Date()): string | null {
  if (value === undefined) return null;
  const duration = /^(\d+)([dhm])$/.exec(value);
  if (duration) return new Date(now.getTime() + Number(duration[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[duration[2] as 'd' | 'h' | 'm']).toISOString();
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`Invalid value for '--expires': '${value}' is neither a date (2027-01-31, 2027-01-31T12:00:00Z) nor a duration (90d, 12h, 30m)`);
  return new Date(time).toISOString();
}

/** `--scope`: comma-separated device ids, `group:NAME` or `*`. */
export function parseScope(values: string[]): string[] {
  const scope = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  for (const s of scope)
    if (s !== '*' && !/^(group:)?[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/.test(s)) throw new UsageError(`Invalid value for '--scope': '${s}' is not a device id, group:NAME or *`);
  return scope;
}
