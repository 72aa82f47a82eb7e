import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSearchDirs } from '../src/configSearch';
import { runCli } from './helpers/cli';

/** A config file that leaves a trace when it runs. */
function trapConfig(dir: string, marker: string): void {
  fs.writeFileSync(path.join(dir, 'nrfutil.config.js'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = {};\n`);
}

describe('the config search stays inside the project or home', () => {
  let top: string;
  beforeEach(() => {
    top = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-cfg-'));
    fs.mkdirSync(path.join(top, 'a', 'b'), { recursive: true });
  });

  test('with no package.json or .git above, a config two levels up does not run', () => {
    const marker = path.join(top, 'ran');
    trapConfig(top, marker);
    const res = runCli(['version'], { cwd: path.join(top, 'a', 'b') });
    expect(res.status).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('the search stops at the home directory: a config there is read, one above it is not', () => {
    const above = path.join(top, 'ran-above');
    trapConfig(top, above);
    const home = path.join(top, 'a');
    fs.writeFileSync(path.join(home, '.nrfutilrc.json'), JSON.stringify({ bogus: 1 }));
    const res = runCli(['version'], { cwd: path.join(home, 'b'), env: { HOME: home } });
    expect(res.stderr).toBe(`Error: Config ${path.join(home, '.nrfutilrc.json')}: unknown setting "bogus" (known: provider, providers, signTimeout, keyDir, pkcs11, plugins)\n`);
    expect(fs.existsSync(above)).toBe(false);
  });

  test('the search stops at the nearest .git', () => {
    fs.mkdirSync(path.join(top, 'a', '.git'));
    const marker = path.join(top, 'ran');
    trapConfig(top, marker);
    expect(configSearchDirs(path.join(top, 'a', 'b'), '/nonexistent-home')).toEqual([path.join(top, 'a', 'b'), path.join(top, 'a')]);
    expect(runCli(['version'], { cwd: path.join(top, 'a', 'b') }).status).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test.each([
    ['writable by others', (file: string) => fs.chmodSync(file, 0o666), /other users can write to it/],
    ['owned by another user', (file: string) => fs.chownSync(file, 4242, 4242), /it belongs to another user \(uid 4242\)/],
  ])('a config file %s is not run', (_, spoil, reason) => {
    fs.writeFileSync(path.join(top, 'package.json'), '{"name":"fw"}');
    const marker = path.join(top, 'ran');
    trapConfig(top, marker);
    spoil(path.join(top, 'nrfutil.config.js'));
    const res = runCli(['version'], { cwd: top });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^Error: Config ${path.join(top, 'nrfutil.config.js').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} was not loaded: ${reason.source}; a config file can run code`));
    expect(fs.existsSync(marker)).toBe(false);
  });
});
