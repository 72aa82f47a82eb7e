import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, CORPUS } from './helpers/cli';

// Replays the recorded nrfutil 6.1.7 corpus (a copy kept in test/fixtures) with the
// corpus's own runner, once, and reports every case as its own test.
const cases = fs.readdirSync(path.join(CORPUS, 'cases')).sort();
let output = '';

beforeAll(() => {
  const res = spawnSync(process.execPath, [path.join(CORPUS, 'run.mjs'), '--cli', `${process.execPath} ${BIN}`, '--corpus', CORPUS, '--verbose'], {
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 << 20,
  });
  output = res.stdout;
}, 600_000);

test('the corpus copy has every recorded case', () => {
  expect(cases.length).toBeGreaterThanOrEqual(122);
});

test.each(cases)('%s reproduces nrfutil 6.1.7', (name) => {
  const line = output.split('\n').find((l) => l === `PASS ${name}` || l.startsWith(`FAIL ${name}:`));
  expect(line).toBe(`PASS ${name}`);
});
