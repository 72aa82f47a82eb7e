#!/usr/bin/env node
// Signing-service benchmark (prints figures; not a test): autocannon against a loopback
// server, 1,000 devices with PEM keys, a 200 KB application release, 32 connections,
// every request a different device. Run `npm run build` first. BENCH_DATABASE=postgres://…
// (an empty database) measures the PostgreSQL back-end instead of SQLite in a temporary directory.
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'run.js');
const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const DATABASE = process.env.BENCH_DATABASE;
if (!fs.existsSync(path.join(ROOT, 'dist', 'service', 'server.js'))) {
  console.error('bench:serve: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { SqliteStore } = require(path.join(ROOT, 'dist', 'service', 'sqliteStore'));

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-bench-serve-'));
  fs.writeFileSync(path.join(dir, 'app.bin'), crypto.randomBytes(200 * 1024));
  fs.mkdirSync(path.join(dir, 'keys'));
  const ids = Array.from({ length: DEVICES }, (_, i) => `dev-${String(i).padStart(5, '0')}`);
  for (const id of ids) {
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    fs.writeFileSync(path.join(dir, 'keys', `${id}.pem`), privateKey.export({ type: 'sec1', format: 'pem' }), { mode: 0o600 });
  }
  execFileSync(process.execPath, [BIN, 'pkg', 'generate', '--hw-version', '52', '--sd-req', '0x0101', '--application', 'app.bin', '--application-version', '1', 'app.zip'], { cwd: dir, stdio: 'ignore' });

  // the server in its own process (as deployed); autocannon here
  const store = DATABASE ? await require(path.join(ROOT, 'dist', 'service', 'postgresStore')).PostgresStore.open(DATABASE) : new SqliteStore(path.join(dir, 'data'));
  const storeArgs = DATABASE ? ['--database', DATABASE] : ['--data', 'data'];
  await store.upsertDevices(ids.map((id) => ({ id, group: 'bench', hwVersion: 52 })));
  const release = (await store.createToken('release', [])).token;
  const field = (await store.createToken('field', ['group:bench'])).token;
  await store.close();
  const server = spawn(process.execPath, [BIN, 'serve', ...storeArgs, '--key-dir', 'keys', '--port', '0', '--rate-limit', '1000000000'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let err = '';
    server.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    server.on('exit', () => reject(new Error(err)));
  });
  const up = await fetch(`${url}/v1/releases?name=bench`, { method: 'POST', headers: { authorization: `Bearer ${release}`, 'content-type': 'application/zip' }, body: fs.readFileSync(path.join(dir, 'app.zip')) });
  const { id } = await up.json();
  await fetch(`${url}/v1/releases/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${release}` } });

  let n = 0;
  const result = await autocannon({
    url,
    connections: 32,
    duration: SECONDS,
    headers: { authorization: `Bearer ${field}` },
    requests: [{ setupRequest: (req) => ({ ...req, path: `/v1/devices/${ids[n++ % ids.length]}/releases/${id}/package` }) }],
  });
  const rss = Number(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)[1]) * 1024;
  server.kill('SIGTERM');
  const ok = result['2xx'];
  console.log(`serve (${DATABASE ? 'PostgreSQL' : 'SQLite'}): ${DEVICES} devices (PEM keys), 200 KB application, 32 connections, ${SECONDS} s`);
  console.log(`  packages/s: ${(ok / SECONDS).toFixed(0)} (${ok} packages, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
  console.log(`  latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; server RSS ${(rss / 1048576).toFixed(0)} MB`);
  fs.rmSync(dir, { recursive: true, force: true });
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
