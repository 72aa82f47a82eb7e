#!/usr/bin/env node
// Long fuzzing run: the property tests of test/fuzz.test.ts with a random seed (printed
// first, so a failure can be replayed) and many more inputs than `npm test` uses.
// usage: npm run fuzz [-- RUNS]     replay: FUZZ_SEED=<seed> FUZZ_RUNS=<runs> npx jest test/fuzz.test.ts
const { spawnSync } = require('node:child_process');

const runs = Number(process.argv[2] ?? 200000);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 0x7fffffff));
console.log(`fuzz: seed ${seed}, ${runs} inputs per target (replay: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npx jest test/fuzz.test.ts)`);
const res = spawnSync('npx', ['jest', 'test/fuzz.test.ts'], { stdio: 'inherit', env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_RUNS: String(runs) } });
process.exit(res.status ?? 1);
