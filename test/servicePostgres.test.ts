import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN } from './helpers/cli';
import { startPostgresCluster } from './helpers/postgresCluster';
import { PostgresStore } from '../src/service/postgresStore';
import { requireOptional } from '../src/service/store';
import { NrfutilError } from '../src/core/errors';
import { createToken, makeFleet, postgres, startService, stopPostgres } from './helpers/service';

// What only the PostgreSQL back-end has: a URL (with a password to keep out of messages),
// the environment variable, several processes creating the schema at once, an outage.
// Everything else runs on both back-ends in service.test.ts and serviceCli.test.ts.

afterAll(stopPostgres);
const fleet = makeFleet('postgres');
const { dir, cli } = fleet;

const runAsync = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });

test('four processes starting at once on a new database: the schema is created once, every one works', async () => {
  const url = postgres().createDatabase('fresh');
  const results = await Promise.all(Array.from({ length: 4 }, (_, i) => runAsync(['serve', 'token', 'create', '--role', 'admin', '--label', `p${i}`, '--database', url])));
  for (const r of results) expect(r).toMatchObject({ status: 0, stdout: expect.stringMatching(/^nrfts_/) });
  const list = JSON.parse(cli(['serve', 'token', 'list', '--json', '--database', url]).stdout) as { label: string }[];
  expect(list.map((t) => t.label).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
});

test('NRFUTIL_DATABASE selects the database; an explicit --data wins over it; --data with --database is a usage error', () => {
  const url = fleet.backend.args[1];
  const viaEnv = (args: string[]) => cli(['serve', ...args]);
  process.env.NRFUTIL_DATABASE = url;
  try {
    const token = createToken(fleet, '--role', 'admin', '--label', 'from-flag');
    const listed = viaEnv(['token', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('from-flag');
    expect(listed.stdout).not.toContain(token);
    expect(viaEnv(['token', 'list', '--data', 'local']).stdout).toBe('');
    expect(fs.existsSync(path.join(dir, 'local', 'service.sqlite'))).toBe(true);
  } finally {
    delete process.env.NRFUTIL_DATABASE;
  }
  expect(cli(['serve', 'token', 'list', '--data', 'x', '--database', url])).toMatchObject({ status: 2, stdout: '', stderr: "Error: Use either '--data' (SQLite) or '--database' (PostgreSQL), not both\n" });
});

test('a database that cannot be reached: one line naming it without its password, exit 1; not a PostgreSQL URL: exit 2', () => {
  const unreachable = 'postgres://fleet:s3cret-pw@127.0.0.1:1/fleet';
  for (const args of [['serve', 'token', 'list'], ['serve', 'audit', 'verify'], ['serve', '--key-dir', 'keys', '--port', '0']]) {
    const res = cli([...args, '--database', unreachable]);
    expect(res).toMatchObject({ status: 1, stdout: '', stderr: 'Error: cannot open the service database postgres://fleet:***@127.0.0.1:1/fleet: connect ECONNREFUSED 127.0.0.1:1\n' });
  }
  const notPostgres = cli(['serve', 'token', 'list', '--database', 'mysql://fleet:s3cret-pw@db/fleet']);
  expect(notPostgres).toMatchObject({
    status: 2,
    stderr: "Error: Invalid value for '--database': 'mysql://fleet:***@db/fleet' is not a PostgreSQL URL (postgres://USER@HOST[:PORT]/DATABASE; the password from PGPASSWORD or ~/.pgpass)\n",
  });
});

test('the database going away: /readyz and the device routes answer 503 (no URL, no stack), and the service comes back with it', async () => {
  const own = startPostgresCluster();
  try {
    const url = own.createDatabase('outage');
    const seed = await PostgresStore.open(url);
    await seed.upsertDevices([{ id: '42', group: null, hwVersion: null }]);
    const field = (await seed.createToken('field', ['*'])).token;
    await seed.close();
    const service = await startService({ open: () => PostgresStore.open(url) }, fleet.keyDir);
    try {
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      own.pause();
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { error: string; message: string };
      expect(body).toEqual({ error: 'unavailable', message: 'database: the database is unavailable (details in the service log)' });
      const key = await fetch(`${service.url}/v1/devices/42/public-key`, { headers: { authorization: `Bearer ${field}` } });
      expect(key.status).toBe(503);
      // the refusal (no token lookup possible) keeps its status though its audit record could not be written either
      expect(await key.json()).toEqual({ error: 'unavailable', message: 'the database is unavailable (details in the service log)' });
      own.resume();
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${service.url}/v1/devices/42/public-key`, { headers: { authorization: `Bearer ${field}` } })).status).toBe(200);
    } finally {
      await service.close();
    }
  } finally {
    own.stop();
  }
});

describe('optional store drivers', () => {
  test('a missing driver is one line saying what to install; a present one loads', () => {
    expect(() => requireOptional('nrfutil-ts-no-such-driver', '--database needs the pg package: npm install pg@8')).toThrow(new NrfutilError('--database needs the pg package: npm install pg@8'));
    expect(requireOptional<typeof import('pg')>('pg', 'unused').Pool).toBeDefined();
  });
});
