#!/usr/bin/env node
// Signing-service benchmark (prints figures; not a test): autocannon against a loopback
// server, a 200 KB application release, 32 connections, every request a different device
// (round robin). Sections:
//   pem        1,000 devices with PEM keys (--key-dir), repeats served from the package cache
//   pem-cold   the same with --package-cache 0: every request signs and verifies
//   hsm        100 devices with SoftHSM2 keys (a pkcs11 {device} template), cached repeats
//   hsm-cold   the same with --package-cache 0: every request signs on the token
// BENCH_SECTIONS=pem,hsm picks some; BENCH_DEVICES, BENCH_HSM_DEVICES, BENCH_SECONDS tune them;
// BENCH_NODE_ARGS go to the server's node (e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' to profile it).
// BENCH_DATABASE=postgres://… (an empty database; each section adds its devices, tokens and
// release to it) measures the PostgreSQL back-end instead of SQLite in a temporary directory.
// BENCH_CLIENT=wrk loads the server with wrk (C, apt-get install wrk) instead of autocannon:
// autocannon is one JavaScript thread, and reading 200 KB answers takes it a whole core of
// the two, so on this machine it, not the server, sets the figure (it prints its own CPU).
// Run `npm run build` first. The HSM sections need SoftHSM2 (apt-get install softhsm2).
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'run.js');
const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const HSM_DEVICES = Number(process.env.BENCH_HSM_DEVICES ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const DATABASE = process.env.BENCH_DATABASE;
const SECTIONS = (process.env.BENCH_SECTIONS ?? 'pem,pem-cold,hsm,hsm-cold').split(',');
const SOFTHSM_MODULES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'];
if (!fs.existsSync(path.join(ROOT, 'dist', 'service', 'server.js'))) {
  console.error('bench:serve: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { SqliteStore } = require(path.join(ROOT, 'dist', 'service', 'sqliteStore'));

const deviceIds = (n) => Array.from({ length: n }, (_, i) => `dev-${String(i).padStart(5, '0')}`);

/** The store's arguments for `serve`: the PostgreSQL database or a data directory in `dir`. */
const storeArgs = () => (DATABASE ? ['--database', DATABASE] : ['--data', 'data']);

/** The store (a data directory, or BENCH_DATABASE) with the devices and two tokens, and the release zip in `dir`. */
async function prepare(dir, ids) {
  fs.writeFileSync(path.join(dir, 'app.bin'), crypto.randomBytes(200 * 1024));
  execFileSync(process.execPath, [BIN, 'pkg', 'generate', '--hw-version', '52', '--sd-req', '0x0101', '--application', 'app.bin', '--application-version', '1', 'app.zip'], { cwd: dir, stdio: 'ignore' });
  const store = DATABASE ? await require(path.join(ROOT, 'dist', 'service', 'postgresStore')).PostgresStore.open(DATABASE) : new SqliteStore(path.join(dir, 'data'));
  await store.upsertDevices(ids.map((id) => ({ id, group: 'bench', hwVersion: 52 })));
  const release = (await store.createToken('release', [])).token;
  const field = (await store.createToken('field', ['group:bench'])).token;
  await store.close();
  return { release, field };
}

function pemKeys(dir, ids) {
  fs.mkdirSync(path.join(dir, 'keys'));
  for (const id of ids) {
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    fs.writeFileSync(path.join(dir, 'keys', `${id}.pem`), privateKey.export({ type: 'sec1', format: 'pem' }), { mode: 0o600 });
  }
  return { args: ['--key-dir', 'keys'], env: {} };
}

/** A SoftHSM2 token 'bench' with a P-256 pair per device, made by the pkcs11 provider itself (one login). */
async function hsmKeys(dir, ids) {
  const module = SOFTHSM_MODULES.find((p) => fs.existsSync(p));
  if (!module || spawnSync('softhsm2-util', ['--version']).status !== 0) throw new Error('the HSM sections need SoftHSM2: apt-get install softhsm2 (or BENCH_SECTIONS=pem,pem-cold)');
  fs.mkdirSync(path.join(dir, 'tokens'));
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(conf, `directories.tokendir = ${path.join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { SOFTHSM2_CONF: conf, NRFUTIL_PKCS11_MODULE: module, NRFUTIL_PKCS11_PIN: '1234' };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'bench', '--pin', '1234', '--so-pin', '5678'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  // keys generated in a child (SoftHSM2 reads SOFTHSM2_CONF when the module is initialised)
  const script = `
    const { pkcs11Provider } = require(${JSON.stringify(path.join(ROOT, 'dist', 'plugins', 'pkcs11'))});
    const { closeAllTokenSessions } = require(${JSON.stringify(path.join(ROOT, 'dist', 'plugins', 'pkcs11', 'session'))});
    (async () => {
      const ctx = { env: process.env, config: {}, warn: () => undefined };
      for (const id of ${JSON.stringify(ids)}) await pkcs11Provider.generate({ keyFile: 'pkcs11:token=bench;object=' + id }, ctx);
      closeAllTokenSessions();
    })().catch((e) => { console.error(e); process.exit(1); });`;
  execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, stdio: 'inherit' });
  return { args: ['--key-template', 'pkcs11:token=bench;object={device}'], env };
}

/** User + system CPU seconds of a process so far (Linux /proc). */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function startServer(dir, keyArgs, env, extra) {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, BIN, 'serve', ...storeArgs(), ...keyArgs, '--port', '0', '--rate-limit', '1000000000', ...extra], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise((resolve, reject) => {
    let err = '';
    server.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    server.on('exit', () => reject(new Error(err)));
  });
  return { server, url };
}

/**
 * The same load from wrk: 2 threads, 32 connections, the devices' paths round robin (a Lua
 * script), its latency percentiles; its CPU from /usr/bin/time. Answers as autocannon's.
 */
function runWrk(dir, url, token, paths) {
  if (spawnSync('wrk', ['--version']).error) throw new Error('BENCH_CLIENT=wrk needs wrk: apt-get install wrk');
  const script = path.join(dir, 'paths.lua');
  fs.writeFileSync(script, `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
local statuses = {}
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency)
  io.write(string.format("@@ %d %d %d %d %d\\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
end
`);
  const res = spawnSync('/usr/bin/time', ['-f', '@@cpu %U %S', 'wrk', '-t', '2', '-c', '32', '-d', `${SECONDS}s`, '-H', `Authorization: Bearer ${token}`, '-s', script, url], { encoding: 'utf8' });
  const m = /@@ (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(res.stdout);
  const c = /@@cpu ([\d.]+) ([\d.]+)/.exec(res.stderr);
  if (res.status !== 0 || !m || !c) throw new Error(`wrk failed: ${res.stderr || res.stdout}`);
  const [requests, errors, timeouts, p50us, p99us] = m.slice(1).map(Number);
  // wrk counts non-2xx answers as status errors
  return { '2xx': requests - errors, non2xx: errors, errors: 0, timeouts, latency: { p50: Math.round(p50us / 1000), p99: Math.round(p99us / 1000) }, clientCpu: Number(c[1]) + Number(c[2]) };
}

async function section(name, { devices, keys, cold }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-bench-serve-'));
  try {
    const ids = deviceIds(devices);
    const { release, field } = await prepare(dir, ids);
    const { args, env } = await keys(dir, ids);
    const { server, url } = await startServer(dir, args, env, cold ? ['--package-cache', '0'] : []);
    const up = await fetch(`${url}/v1/releases?name=bench`, { method: 'POST', headers: { authorization: `Bearer ${release}`, 'content-type': 'application/zip' }, body: fs.readFileSync(path.join(dir, 'app.zip')) });
    const { id } = await up.json();
    await fetch(`${url}/v1/releases/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${release}` } });

    const packagePath = (device) => `/v1/devices/${device}/releases/${id}/package`;
    if (!cold) {
      // warm-up: every device once (each signed and verified once), so the timed run measures repeats
      for (let i = 0; i < ids.length; i += 32)
        await Promise.all(ids.slice(i, i + 32).map((d) => fetch(url + packagePath(d), { headers: { authorization: `Bearer ${field}` } }).then((r) => r.arrayBuffer())));
    }
    const cpuBefore = cpuSeconds(server.pid);
    const clientBefore = process.cpuUsage();
    const wrk = process.env.BENCH_CLIENT === 'wrk';
    let n = 0;
    const result = wrk
      ? runWrk(dir, url, field, ids.map(packagePath))
      : await autocannon({
          url,
          connections: 32,
          duration: SECONDS,
          headers: { authorization: `Bearer ${field}` },
          requests: [{ setupRequest: (req) => ({ ...req, path: packagePath(ids[n++ % ids.length]) }) }],
        });
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    const clientUsage = process.cpuUsage(clientBefore);
    const clientCpu = wrk ? result.clientCpu : (clientUsage.user + clientUsage.system) / 1e6;
    const rss = Number(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)[1]) * 1024;
    server.kill('SIGTERM');
    await new Promise((resolve) => server.on('exit', resolve));
    const ok = result['2xx'];
    console.log(`${name} (${DATABASE ? 'PostgreSQL' : 'SQLite'}): ${devices} devices (${name.startsWith('hsm') ? 'SoftHSM2 keys, pkcs11 {device} template' : 'PEM keys'}), 200 KB application, 32 connections, ${SECONDS} s, ${cold ? 'every request signed (--package-cache 0)' : 'repeats from the package cache'}`);
    console.log(`  packages/s: ${(ok / SECONDS).toFixed(0)} (${ok} packages, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
    console.log(`  latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; server RSS ${(rss / 1048576).toFixed(0)} MB`);
    // independent of what else the machine runs: the server's own CPU time per package
    console.log(`  server CPU ${((cpu * 1000) / ok).toFixed(2)} ms per package (${(ok / cpu).toFixed(0)} packages per CPU-second); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    // autocannon is one JavaScript thread reading 200 KB answers: when it is near a whole
    // core, the figures above are the load generator's limit, not the server's
    console.log(`  client (${wrk ? 'wrk' : 'autocannon'}) CPU ${clientCpu.toFixed(1)} s in ${SECONDS} s (${((100 * clientCpu) / SECONDS).toFixed(0)}% of a core)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SECTION_SETUPS = {
  pem: { devices: DEVICES, keys: pemKeys, cold: false },
  'pem-cold': { devices: DEVICES, keys: pemKeys, cold: true },
  hsm: { devices: HSM_DEVICES, keys: hsmKeys, cold: false },
  'hsm-cold': { devices: HSM_DEVICES, keys: hsmKeys, cold: true },
};

(async () => {
  for (const name of SECTIONS) {
    if (!SECTION_SETUPS[name]) throw new Error(`BENCH_SECTIONS: no section ${name} (${Object.keys(SECTION_SETUPS).join(', ')})`);
    await section(name, SECTION_SETUPS[name]);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
