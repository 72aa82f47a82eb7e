import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A throw-away PostgreSQL cluster for tests: initdb into a temporary directory, the server
 * listening only on a unix socket in that directory (no port to collide with another test
 * file or a system PostgreSQL), trust authentication, no fsync. PostgreSQL refuses to run
 * as root, so as root (CI) the cluster belongs to the `postgres` user (runuser); as a normal
 * user it is the user's own. Missing PostgreSQL is an error, never a skip.
 */
export interface PostgresCluster {
  /** A new empty database; returns its URL. */
  createDatabase(name: string): string;
  /** The URL of an existing database of the cluster. */
  url(database: string): string;
  /** Stops the server, keeping the data (an outage), and starts it again. */
  pause(): void;
  resume(): void;
  stop(): void;
}

const SUPERUSER = 'nrfutil';

function binDir(): string {
  const override = process.env.PG_BINDIR;
  if (override) return override;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the service tests need it; 'apt-get install postgresql' (.ci/run does), or set PG_BINDIR");
  return path.join(root, versions[0], 'bin');
}

export function startPostgresCluster(): PostgresCluster {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-pg-'));
  const data = path.join(dir, 'data');
  const run = (tool: string, args: string[], asOwner: boolean) => {
    const cmd = path.join(bin, tool);
    const res = asRoot && asOwner ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', timeout: 120_000 }) : spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
    if (res.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${res.status ?? res.error?.message}): ${res.stderr}`);
    return res.stdout;
  };
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) throw new Error("PostgreSQL tests run as root need the 'postgres' user (the postgresql package creates it)");
    const uid = Number(id.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    fs.chownSync(dir, uid, gid);
  }
  run('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'], true);
  const serverOptions = `-k ${dir} -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  const start = () => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', serverOptions, '-w', '-t', '60', 'start'], true);
  start();

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    try {
      if (fs.existsSync(path.join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  // a test file that dies before its afterAll still leaves no server behind
  process.on('exit', stop);

  const url = (database: string) => `postgres://${SUPERUSER}@localhost/${database}?host=${encodeURIComponent(dir)}`;
  return {
    url,
    createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      run('psql', ['-h', dir, '-U', SUPERUSER, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`], false);
      return url(name);
    },
    pause: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], true),
    resume: start,
    stop,
  };
}
