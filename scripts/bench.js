#!/usr/bin/env node
// Fleet benchmark (prints figures; not a test): 1,000 devices with PEM keys in a
// directory and a 200 KB application, one single `pkg generate` for comparison, and
// 1,000 signatures through SoftHSM2 when it is installed. Run `npm run build` first.
const { spawnSync, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'run.js');
const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const APP_BYTES = 200 * 1024;
if (!fs.existsSync(path.join(ROOT, 'dist', 'commands'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-bench-'));
const app = path.join(dir, 'app.bin');
fs.writeFileSync(app, crypto.randomBytes(APP_BYTES));
fs.mkdirSync(path.join(dir, 'keys'));
const ids = Array.from({ length: DEVICES }, (_, i) => `dev-${String(i).padStart(5, '0')}`);
for (const id of ids) {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  fs.writeFileSync(path.join(dir, 'keys', `${id}.pem`), privateKey.export({ type: 'sec1', format: 'pem' }), { mode: 0o600 });
}
fs.writeFileSync(path.join(dir, 'devices.txt'), ids.join('\n') + '\n');
const common = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0x0101', '--application', app, '--application-version', '1'];

/** Runs the CLI under /usr/bin/time -v: wall seconds and peak RSS (MB) of the whole process. */
function measure(args, env = process.env) {
  const start = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-v', process.execPath, BIN, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20, env });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (res.status !== 0) throw new Error(`bench run failed (${res.status}): ${res.stderr.split('\n')[0]}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr)[1]) / 1024;
  return { wall, rss };
}

/** What the disk alone costs: 1,000 new 200 KB files (no signing), for reading the batch figure. */
function diskBaseline() {
  const out = path.join(dir, 'disk-baseline');
  fs.mkdirSync(out);
  const data = Buffer.alloc(APP_BYTES, 0x5a);
  const start = process.hrtime.bigint();
  for (let i = 0; i < DEVICES; i++) fs.writeFileSync(path.join(out, `${i}.zip`), data);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const singles = [1, 2, 3].map(() => measure([...common, '--key-dir', 'keys', '--device', ids[0], 'single.zip']));
const batches = [1, 2, 3].map((i) => measure([...common, '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', `out${i}`]));
const disk = diskBaseline();
const single = median(singles.map((s) => s.wall));
const batch = median(batches.map((b) => b.wall));
const rss = Math.max(...batches.map((b) => b.rss));
const written = fs.readdirSync(path.join(dir, 'out1')).length;

console.log(`machine: ${os.cpus().length} cores, Node ${process.version}`);
console.log(`disk baseline: ${DEVICES} new ${APP_BYTES / 1024} KB files written in one thread: ${disk.toFixed(3)} s (file creation is slow on some disks right after mass deletion)`);
console.log(`single pkg generate (200 KB app, median of 3): ${single.toFixed(3)} s wall, ${Math.max(...singles.map((s) => s.rss)).toFixed(0)} MB peak RSS`);
console.log(`batch of ${DEVICES} devices (median of 3): ${batch.toFixed(3)} s wall, ${(DEVICES / batch).toFixed(0)} devices/s, ${rss.toFixed(0)} MB peak RSS, ${written} zips`);
console.log(`batch/single wall ratio: ${(batch / single).toFixed(2)} (a shell loop of singles would take ~${(single * DEVICES).toFixed(0)} s, ${((single * DEVICES) / batch).toFixed(0)}x longer)`);
console.log(`targets: batch <= 1.5 s wall: ${batch <= 1.5 ? 'met' : 'NOT met'}; peak RSS <= 200 MB: ${rss <= 200 ? 'met' : 'NOT met'}`);

// Each device its own firmware file ({device} in --application): one device after another
// (NRFUTIL_JOBS=1) against the default, where the threads plan and sign devices at once.
const PER_DEVICE = Math.min(DEVICES, 200);
fs.writeFileSync(path.join(dir, 'per-device.txt'), ids.slice(0, PER_DEVICE).join('\n') + '\n');
for (const id of ids.slice(0, PER_DEVICE)) {
  fs.mkdirSync(path.join(dir, 'build', id), { recursive: true });
  fs.copyFileSync(app, path.join(dir, 'build', id, 'app.bin'));
}
const perDevice = (jobs, i) =>
  measure(
    [...common.map((a) => (a === app ? path.join('build', '{device}', 'app.bin') : a)), '--devices', 'per-device.txt', '--key-dir', 'keys', '--out-dir', `per-device-${jobs ?? 'default'}-${i}`],
    { ...process.env, ...(jobs ? { NRFUTIL_JOBS: String(jobs) } : {}) },
  ).wall;
const serialPerDevice = median([1, 2, 3].map((i) => perDevice(1, i)));
const concurrentPerDevice = median([1, 2, 3].map((i) => perDevice(undefined, i)));
console.log(`per-device inputs, ${PER_DEVICE} devices (median of 3): one at a time (NRFUTIL_JOBS=1) ${serialPerDevice.toFixed(3)} s, concurrent ${concurrentPerDevice.toFixed(3)} s wall (${(serialPerDevice / concurrentPerDevice).toFixed(2)}x)`);

// 1,000 signatures through SoftHSM2, in one process and one logged-in session.
const hsmModule = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((p) => fs.existsSync(p));
if (!hsmModule || spawnSync('softhsm2-util', ['--version']).status !== 0) {
  console.log('softhsm2: skipped: softhsm2 is not installed (apt-get install softhsm2)');
} else {
  const hsmDir = path.join(dir, 'hsm');
  fs.mkdirSync(path.join(hsmDir, 'tokens'), { recursive: true });
  const conf = path.join(hsmDir, 'softhsm2.conf');
  fs.writeFileSync(conf, `directories.tokendir = ${path.join(hsmDir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf, NRFUTIL_PKCS11_MODULE: hsmModule, NRFUTIL_PKCS11_PIN: '1234' };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'bench', '--pin', '1234', '--so-pin', '5678'], { env, stdio: 'ignore' });
  execFileSync(process.execPath, [BIN, 'keys', 'generate', 'pkcs11:token=bench;object=k'], { env, stdio: 'ignore' });
  const script = `
    const { openKeyProvider } = require(${JSON.stringify(path.join(ROOT, 'dist', 'plugins', 'registry'))});
    (async () => {
      const key = await openKeyProvider({ keyFile: 'pkcs11:token=bench;object=k' }, { env: process.env, config: {}, warn() {} });
      const start = process.hrtime.bigint();
      for (let i = 0; i < 1000; i++) await key.sign(Buffer.from('message ' + i));
      console.log(Number(process.hrtime.bigint() - start) / 1e9);
      await key.close?.();
    })();`;
  const seconds = Number(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).trim());
  console.log(`softhsm2: 1000 ECDSA signatures through the pkcs11 provider: ${seconds.toFixed(2)} s, ${(1000 / seconds).toFixed(0)} signatures/s`);
}
fs.rmSync(dir, { recursive: true, force: true });
