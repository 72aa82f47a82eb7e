#!/usr/bin/env node
// Start-up benchmark (prints figures; not a test). One call per build from a Makefile is
// the common use, so what counts is the whole process: spawn to exit. Every case runs
// once per round, rounds interleave the cases in a rotating order (so a noisy moment
// hits every case alike), and the figures are medians over the rounds.
//   BENCH_RUNS=N  rounds (default 21)
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'run.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const APP_BYTES = 200 * 1024;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-bench-startup-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const app = path.join(dir, 'app.bin');
fs.writeFileSync(app, crypto.randomBytes(APP_BYTES));
const key = path.join(dir, 'private.pem');
const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
fs.writeFileSync(key, privateKey.export({ type: 'sec1', format: 'pem' }), { mode: 0o600 });

const cli = (...args) => [BIN, ...args];
const cases = [
  { name: 'node -e 0 (bare)', argv: ['-e', '0'] },
  {
    name: 'pkg generate (200 KB, signed)',
    argv: cli('pkg', 'generate', '--hw-version', '52', '--sd-req', '0x0101', '--application-version', '1', '--application', app, '--key-file', key, 'app_dfu.zip'),
  },
  { name: 'keys display --format code', argv: cli('keys', 'display', '--key', 'pk', '--format', 'code', key) },
  {
    name: 'settings generate',
    argv: cli('settings', 'generate', '--family', 'NRF52', '--application', app, '--application-version', '1', '--bootloader-version', '1', '--bl-settings-version', '2', 'settings.hex'),
  },
  { name: 'version', argv: cli('version') },
  { name: '--help', argv: cli('--help') },
];

function once(argv) {
  const start = process.hrtime.bigint();
  const res = spawnSync(process.execPath, argv, { cwd: dir, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`bench run failed (${res.status}): node ${argv.join(' ')}\n${res.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (const c of cases) once(c.argv); // warm the file cache; also checks every case works
const times = cases.map(() => []);
for (let round = 0; round < RUNS; round++) {
  for (let k = 0; k < cases.length; k++) {
    const i = (round + k) % cases.length;
    times[i].push(once(cases[i].argv));
  }
}

/** Peak RSS of one pkg generate, by /usr/bin/time -v (a separate run: `time` costs a little wall time). */
function peakRssMb(argv) {
  if (!fs.existsSync('/usr/bin/time')) return undefined;
  const rss = [1, 2, 3].map(() => {
    const res = spawnSync('/usr/bin/time', ['-v', process.execPath, ...argv], { cwd: dir, encoding: 'utf8' });
    return Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr)?.[1]) / 1024;
  });
  return median(rss);
}

const bare = median(times[0]);
console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}; ${RUNS} interleaved rounds, medians`);
console.log(`${'case'.padEnd(34)} ${'median ms'.padStart(10)} ${'min ms'.padStart(8)} ${'x bare'.padStart(7)}`);
cases.forEach((c, i) => {
  const m = median(times[i]);
  console.log(`${c.name.padEnd(34)} ${m.toFixed(1).padStart(10)} ${Math.min(...times[i]).toFixed(1).padStart(8)} ${(m / bare).toFixed(2).padStart(7)}`);
});
const rss = peakRssMb(cases[1].argv);
console.log(`pkg generate peak RSS: ${rss === undefined ? 'skipped (/usr/bin/time missing: apt-get install time)' : `${rss.toFixed(1)} MB (median of 3)`}`);
const target = ['pkg generate (200 KB, signed)', 'keys display --format code', 'settings generate'];
const worst = Math.max(...cases.map((c, i) => (target.includes(c.name) ? median(times[i]) / bare : 0)));
console.log(`target: pkg generate, keys display, settings generate <= 1.6x bare node: ${worst <= 1.6 ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}x)`);
