#!/usr/bin/env node
// Start-up benchmark (prints figures; not a test). One call per build from a Makefile is
// the common use, so what counts is the whole process: spawn to exit. Every case runs
// once per round, rounds interleave the cases in a rotating order (so a noisy moment
// hits every case alike): medians of the wall time, and means of the CPU time (a steadier
// guide on a busy machine).
//   BENCH_RUNS=N  rounds (default 21)
//   BENCH_KEEP_ENV=1  keep NODE_EXTRA_CA_CERTS in the cases' environment (see caseEnv)
//   BENCH_COMPARE=/other/checkout/bin/run.js  also runs the three main cases with that CLI,
//                 in the same rounds (e.g. a build of the previous commit: before/after)
//   BENCH_FLOORS=0  leaves out the two reference programs (scripts/startupFloors.js): pkg
//                 generate's work in Node built-ins alone, and a one-command oclif CLI
// When NODE_EXTRA_CA_CERTS is set (and not kept), bare node and pkg generate also run with
// it, in the same rounds: the ratio as this machine runs every node.
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { floorCases } = require('./startupFloors');

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

// NODE_EXTRA_CA_CERTS (set on some build machines, this sandbox among them) makes every
// node process parse a certificate bundle before the first line of JavaScript: measured
// here +60-100 ms on bare `node -e 0`, the same for every case, which flatters every ratio
// to bare Node. The cases run without it unless BENCH_KEEP_ENV=1.
const caseEnv = { ...process.env };
const removedEnv = process.env.BENCH_KEEP_ENV ? [] : ['NODE_EXTRA_CA_CERTS'].filter((k) => k in caseEnv);
for (const k of removedEnv) delete caseEnv[k];

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
if (process.env.BENCH_COMPARE) {
  const other = path.resolve(process.env.BENCH_COMPARE);
  for (const c of cases.slice(1, 4)) cases.push({ name: `${c.name} [compare]`, argv: [other, ...c.argv.slice(1)] });
}
if (removedEnv.length) {
  cases.push({ name: 'node -e 0 (bare) [machine env]', argv: cases[0].argv, env: process.env, reference: true });
  cases.push({ name: 'pkg generate [machine env]', argv: cases[1].argv, env: process.env, reference: true });
}

// With /usr/bin/time every run also reports its CPU time (user + system) and peak RSS:
// CPU time hardly moves when other processes compete for the cores; wall time does.
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function once(argv, env) {
  const [cmd, args] = TIME ? [TIME, ['-f', '@@ %U %S %M', process.execPath, ...argv]] : [process.execPath, argv];
  const start = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: env ?? caseEnv });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`bench run failed (${res.status}): node ${argv.join(' ')}\n${res.stderr}`);
  const m = /@@ ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(res.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, rssMb: m ? Number(m[3]) / 1024 : NaN };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  if (process.env.BENCH_FLOORS !== '0') cases.push(...(await floorCases(dir, { app, key })));
  for (const c of cases) once(c.argv, c.env); // warm the file cache; also checks every case works
  const runs = cases.map(() => []);
  for (let round = 0; round < RUNS; round++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (round + k) % cases.length;
      runs[i].push(once(cases[i].argv, cases[i].env));
    }
  }
  const times = runs.map((r) => r.map((x) => x.wall));
  const cpus = runs.map((r) => r.map((x) => x.cpu));

  // CPU time comes in 10 ms steps from /usr/bin/time: its mean over the rounds resolves finer than a median.
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const bare = median(times[0]);
  const bareCpu = mean(cpus[0]);
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}; ${RUNS} interleaved rounds: wall medians, CPU (user+system) means`);
  if (removedEnv.length) console.log(`removed from the cases' environment: ${removedEnv.join(', ')} (a fixed cost of every node start; BENCH_KEEP_ENV=1 keeps it)`);
  if (process.env.BENCH_COMPARE) console.log(`[compare]: ${path.resolve(process.env.BENCH_COMPARE)}`);
  console.log(`${'case'.padEnd(44)} ${'wall ms'.padStart(8)} ${'min'.padStart(7)} ${'x bare'.padStart(7)} ${'cpu ms'.padStart(8)} ${'x bare'.padStart(7)}`);
  cases.forEach((c, i) => {
    const m = median(times[i]);
    const cpu = mean(cpus[i]);
    console.log(`${c.name.padEnd(44)} ${m.toFixed(1).padStart(8)} ${Math.min(...times[i]).toFixed(1).padStart(7)} ${(m / bare).toFixed(2).padStart(7)} ${cpu.toFixed(0).padStart(8)} ${(cpu / bareCpu).toFixed(2).padStart(7)}`);
  });
  const rss = runs[1].map((r) => r.rssMb);
  console.log(`pkg generate peak RSS: ${TIME ? `${Math.max(...rss).toFixed(1)} MB (largest of ${rss.length} runs)` : 'not measured (/usr/bin/time missing: apt-get install time)'}`);
  const target = ['pkg generate (200 KB, signed)', 'keys display --format code', 'settings generate'];
  const worst = Math.max(...cases.map((c, i) => (target.includes(c.name) ? median(times[i]) / bare : 0)));
  console.log(`target: pkg generate, keys display, settings generate <= 1.6x bare node (wall): ${worst <= 1.6 ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}x)`);
  const at = (name) => median(times[cases.findIndex((c) => c.name === name)]);
  if (removedEnv.length)
    console.log(`with the machine's environment (${removedEnv.join(', ')} kept): pkg generate ${(at('pkg generate [machine env]') / at('node -e 0 (bare) [machine env]')).toFixed(2)}x its bare node`);
  if (process.env.BENCH_FLOORS !== '0')
    console.log(`floors: Node built-ins alone ${(at('floor: Node built-ins only') / bare).toFixed(2)}x, a one-command oclif CLI ${(at('floor: one-command oclif CLI') / bare).toFixed(2)}x bare node (scripts/startupFloors.js)`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
