import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readPackageZip } from '../src/core/packageZip';
import { SoftwareKey } from '../src/plugins/pemFile';
import { BIN, runCli, tempDirWith } from './helpers/cli';

const DEVICES = 2000;
let dir: string;

beforeAll(() => {
  dir = tempDirWith('app_nrf52.hex');
  const ids = Array.from({ length: DEVICES }, (_, i) => `dev-${i}`);
  fs.writeFileSync(path.join(dir, 'devices.txt'), ids.join('\n'));
  expect(runCli(['keys', 'generate', '--devices', 'devices.txt', '--key-dir', 'keys'], { cwd: dir }).status).toBe(0);
});

/**
 * Starts the CLI and sends `signal` once `watched` holds `files` finished files (so the
 * run is caught in the middle whatever the machine's speed); resolves with the exit code.
 */
function interrupted(args: string[], signal: NodeJS.Signals, watched: string, files: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: 'ignore' });
    const finished = () => (fs.existsSync(path.join(dir, watched)) ? fs.readdirSync(path.join(dir, watched)).filter((f) => !f.startsWith('.')).length : 0);
    const timer = setInterval(() => {
      if (finished() < files) return;
      clearInterval(timer);
      child.kill(signal);
    }, 2);
    child.on('exit', (code, killedBy) => {
      clearInterval(timer);
      // Killed before the CLI set its handlers up: the shell reports 128 + the signal number too.
      resolve(code ?? (killedBy ? 128 + os.constants.signals[killedBy] : null));
    });
  });
}

const temporaryFiles = (sub: string) => fs.readdirSync(path.join(dir, sub)).filter((f) => f.startsWith('.'));

// Moments spread over the run, by how many files are finished (fixed, so a failure replays).
const MOMENTS: [NodeJS.Signals, number][] = [
  ['SIGINT', 1],
  ['SIGTERM', 7],
  ['SIGINT', 60],
  ['SIGTERM', 150],
  ['SIGHUP', 333],
  ['SIGINT', 500],
];
const EXIT_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

describe('an interrupted run leaves only finished files', () => {
  test.each(MOMENTS)('pkg generate --devices, %s after %i finished packages', async (signal, files) => {
    const out = `out-${signal}-${files}`;
    const code = await interrupted(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', out], signal, out, files);
    expect(code).toBe(EXIT_CODES[signal]);
    expect(temporaryFiles(out)).toEqual([]);
    const written = fs.readdirSync(path.join(dir, out));
    expect(written.length).toBeGreaterThanOrEqual(files);
    expect(written.length).toBeLessThan(DEVICES);
    for (const file of written) {
      const files = await readPackageZip(fs.readFileSync(path.join(dir, out, file)), file);
      expect([...files.keys()].sort()).toEqual(['app_nrf52.bin', 'app_nrf52.dat', 'manifest.json']);
    }
  });

  test.each(MOMENTS.slice(0, 4))('keys generate --devices, %s after %i keys: no temporary file holding a key', async (signal, files) => {
    const keys = `keys-${signal}-${files}`;
    const code = await interrupted(['keys', 'generate', '--devices', 'devices.txt', '--key-dir', keys], signal, keys, files);
    expect(code).toBe(EXIT_CODES[signal]);
    expect(temporaryFiles(keys)).toEqual([]);
    expect(fs.readdirSync(path.join(dir, keys)).length).toBeLessThan(DEVICES);
    for (const file of fs.readdirSync(path.join(dir, keys))) expect(() => SoftwareKey.fromPem(fs.readFileSync(path.join(dir, keys, file)), file)).not.toThrow();
  });

  test('a leftover of a killed run (our name, a process that no longer runs) is removed by the next run there', () => {
    const leftover = '.old.zip.2147483646.0.1.nrfutil-ts.tmp';
    const foreign = '.someone-else.tmp';
    fs.writeFileSync(path.join(dir, leftover), 'half a zip');
    fs.writeFileSync(path.join(dir, foreign), 'not ours');
    const res = runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', '1', 'fresh.zip'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(fs.existsSync(path.join(dir, leftover))).toBe(false);
    expect(fs.existsSync(path.join(dir, foreign))).toBe(true);
  });
});
