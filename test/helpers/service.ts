import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { FastifyInstance } from 'fastify';
import { KeySource } from '../../src/service/keySource';
import { buildServer, ServerOptions } from '../../src/service/server';
import { PostgresStore } from '../../src/service/postgresStore';
import { SqliteStore } from '../../src/service/sqliteStore';
import type { ServiceStore } from '../../src/service/store';
import { runCli, tempDirWith } from './cli';
import { PostgresCluster, startPostgresCluster } from './postgresCluster';

// The service tests check JSON bodies field by field: fetch's json() as any there.
declare global {
  interface Response {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json(): Promise<any>;
  }
}

/** Both back-ends run the same service tests: describe.each(BACKENDS). */
export type BackendName = 'sqlite' | 'postgres';
export const BACKENDS: BackendName[] = ['sqlite', 'postgres'];

let cluster: PostgresCluster | undefined;
let databases = 0;

/** The test file's PostgreSQL cluster, started on first use. */
export function postgres(): PostgresCluster {
  cluster ??= startPostgresCluster();
  return cluster;
}

/** For a test file's top-level afterAll: stops the cluster if one was started. */
export function stopPostgres(): void {
  cluster?.stop();
  cluster = undefined;
}

/** One store of the service, as the CLI names it (args) and as a test opens it. */
export interface StoreBackend {
  name: BackendName;
  /** CLI options selecting it, for commands run in the fleet directory. */
  args: string[];
  open(): Promise<ServiceStore>;
  /** A copy of the audit chain with `sql` applied to it; returns the CLI options of the copy. */
  tamperedCopy(label: string, sql: string[]): Promise<string[]>;
  /** Every row of these tables, as text (to look for secrets). */
  dump(tables: string[]): Promise<string>;
  /** Ids of the release zips held (files on SQLite, rows on PostgreSQL). */
  storedZips(): Promise<string[]>;
}

async function pgRows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A new, empty store of the given kind; `dir` is the fleet directory, `label` names it. */
export function newBackend(name: BackendName, dir: string, label: string): StoreBackend {
  if (name === 'sqlite') {
    const dataDir = path.join(dir, label);
    return {
      name,
      args: ['--data', dataDir],
      open: async () => new SqliteStore(dataDir),
      async tamperedCopy(copyLabel, sql) {
        const copy = path.join(dir, `tampered-${copyLabel}`);
        fs.mkdirSync(copy);
        const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true });
        await db.backup(path.join(copy, 'service.sqlite'));
        db.close();
        const t = new Database(path.join(copy, 'service.sqlite'));
        for (const s of sql) t.exec(s);
        t.close();
        return ['--data', copy];
      },
      async dump(tables) {
        const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true });
        const text = JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t}`).all()));
        db.close();
        return text;
      },
      async storedZips() {
        return fs.readdirSync(path.join(dataDir, 'releases')).filter((f) => f.endsWith('.zip')).map((f) => f.slice(0, -4));
      },
    };
  }
  const url = postgres().createDatabase(`${label.replace(/\W/g, '_')}_${++databases}`);
  return {
    name,
    args: ['--database', url],
    open: () => PostgresStore.open(url),
    async tamperedCopy(copyLabel, sql) {
      const copyUrl = postgres().createDatabase(`tampered_${copyLabel.replace(/\W/g, '_')}_${++databases}`);
      await (await PostgresStore.open(copyUrl)).close(); // the schema
      const rows = await pgRows(url, 'SELECT * FROM audit ORDER BY seq');
      const client = new Client({ connectionString: copyUrl });
      await client.connect();
      try {
        await client.query('BEGIN');
        for (const r of rows) {
          const columns = Object.keys(r);
          await client.query(`INSERT INTO audit (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(r));
        }
        await client.query('COMMIT');
        for (const s of sql) await client.query(s);
      } finally {
        await client.end();
      }
      return ['--database', copyUrl];
    },
    async dump(tables) {
      return JSON.stringify(await Promise.all(tables.map((t) => pgRows(url, `SELECT * FROM ${t}`))));
    },
    async storedZips() {
      return (await pgRows(url, 'SELECT id FROM releases WHERE octet_length(zip) > 0')).map((r) => r.id as string);
    },
  };
}

/** A real service on 127.0.0.1 (any free port) over a store, with keys from a key directory. */
export interface RunningService {
  app: FastifyInstance;
  store: ServiceStore;
  url: string;
  close(): Promise<void>;
}

export async function startService(backend: Pick<StoreBackend, 'open'>, keyDir: string, extra: Partial<ServerOptions> = {}): Promise<RunningService> {
  const store = await backend.open();
  const keys = new KeySource({ keyDir }, { env: process.env, config: {}, warn: () => undefined });
  const app = await buildServer({ store, keys, ...extra });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    store,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export interface Fleet {
  dir: string;
  keyDir: string;
  backend: StoreBackend;
  /** The CLI in the fleet directory. */
  cli: (args: string[]) => ReturnType<typeof runCli>;
  /** `serve …` sub-command on the fleet's store: serve(['token', 'list']) */
  serve: (args: string[]) => ReturnType<typeof runCli>;
}

/**
 * A fleet on disk: keys for devices 42, 43 (group site-a) and b1 (site-b), an unsigned
 * application package (app-v3.zip) and a second one (app-v4.zip), the device list imported
 * into a new store of the given back-end.
 */
export function makeFleet(backendName: BackendName = 'sqlite'): Fleet {
  const dir = tempDirWith('app_nrf52.hex');
  const keyDir = path.join(dir, 'keys');
  fs.mkdirSync(keyDir);
  const backend = newBackend(backendName, dir, 'data');
  const cli = (args: string[]) => runCli(args, { cwd: dir });
  const serve = (args: string[]) => cli(['serve', ...args, ...backend.args]);
  for (const device of ['42', '43', 'b1']) expect(cli(['keys', 'generate', '--key-dir', 'keys', '--device', device]).status).toBe(0);
  for (const version of ['3', '4'])
    expect(cli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', version, `app-v${version}.zip`]).status).toBe(0);
  fs.writeFileSync(path.join(dir, 'devices.csv'), 'id,group,hw_version\n42,site-a,52\n43,site-a,52\nb1,site-b,52\n');
  const imported = serve(['devices', 'import', 'devices.csv']);
  expect(imported).toMatchObject({ status: 0, stdout: 'Imported 3 devices\n' });
  return { dir, keyDir, backend, cli, serve };
}

/** `serve token create …` through the CLI; returns the token printed on stdout. */
export function createToken(fleet: Fleet, ...args: string[]): string {
  const res = fleet.serve(['token', 'create', ...args]);
  expect(res.status).toBe(0);
  expect(res.stdout).toMatch(/^nrfts_[A-Za-z0-9_-]{43}\n$/);
  return res.stdout.trim();
}
