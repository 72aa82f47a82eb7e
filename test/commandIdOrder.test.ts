import { spawnSync } from 'node:child_process';
import path from 'node:path';

// scripts/commandIdOrder.js replaces oclif's localeCompare sort of command ids (which
// initialises ICU on every run); it must give localeCompare's order. Checked in a child
// node with a given locale, since ICU takes its default locale from the environment.
const ORDER = path.join(__dirname, '..', 'scripts', 'commandIdOrder.js');

function disagreements(locale: NodeJS.ProcessEnv): string[] {
  const script = `
    const { compareCommandIds } = require(${JSON.stringify(ORDER)});
    const alphabet = 'abmyz0189-:';
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const id = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const pairs = [['pkg:generate', 'pkg'], ['keys:display', 'keys:generate'], ['version', 'settings:generate'], ['dfu:serial', 'dfu-x'], ['nrf5sdk-tools:pkg', 'nrf5sdk:tools'], ['ch', 'h'], ['aa', 'z'], ['Pkg', 'pkg'], ['a_b', 'a-b']];
    for (let i = 0; i < 20000; i++) pairs.push([id(), id()]);
    const bad = pairs.filter(([a, b]) => Math.sign(a.localeCompare(b)) !== compareCommandIds(a, b));
    process.stdout.write(JSON.stringify(bad.slice(0, 5)));`;
  const env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: '', ...locale };
  const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout);
}

describe("oclif's command order without ICU", () => {
  test.each([{}, { LANG: 'C' }, { LANG: 'C.UTF-8' }, { LANG: 'en_US.UTF-8' }, { LC_ALL: 'en_GB.UTF-8' }])('same order as localeCompare under %j', (locale) => {
    expect(disagreements(locale)).toEqual([]);
  });

  test.each([{ LANG: 'cs_CZ.UTF-8' }, { LANG: 'da_DK.UTF-8' }, { LC_MESSAGES: 'lt_LT.UTF-8' }])('other locales fall back to localeCompare (%j)', (locale) => {
    expect(disagreements(locale)).toEqual([]);
  });
});
