import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDirWith } from './helpers/cli';

const app = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application-version', '1', '--application', 'app_nrf52.hex'];

describe('failures say what is wrong in one sentence naming the file', () => {
  test('a target below a file: no errno text, no temporary name', () => {
    const dir = tempDirWith('app_nrf52.hex');
    fs.writeFileSync(path.join(dir, 'plain'), 'x');
    const res = runCli([...app, 'plain/x.zip'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('Error: Cannot write plain/x.zip: plain is not a directory\n');
  });

  test('a target that is a directory', () => {
    const dir = tempDirWith('app_nrf52.hex');
    fs.mkdirSync(path.join(dir, 'x.zip'));
    const res = runCli([...app, 'x.zip'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('Error: Cannot write x.zip: it is a directory; give a file name\n');
  });

  test('--out-dir naming a file', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    fs.writeFileSync(path.join(dir, 'devices.txt'), 'd1\n');
    fs.writeFileSync(path.join(dir, 'out'), 'a file');
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.copyFileSync(path.join(dir, 'key_a.pem'), path.join(dir, 'keys', 'd1.pem'));
    const res = runCli([...app, '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'out'], { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('Error: --out-dir out: a file of that name (or on its path) is in the way; give a directory\n');
  });

  test('an unusable ~/.local/share adds no warning to any command', () => {
    const home = tempDirWith();
    fs.mkdirSync(path.join(home, '.local'));
    fs.writeFileSync(path.join(home, '.local', 'share'), 'not a directory');
    for (const args of [['version'], ['pkg', '--help'], ['keys', 'display', '--help']]) {
      const res = runCli(args, { cwd: home, env: { HOME: home } });
      expect(res.status).toBe(0);
      expect(res.stderr).toBe('');
    }
  });

  test('a device id with terminal escapes or megabytes long is escaped and cut in the message', () => {
    const dir = tempDirWith('app_nrf52.hex');
    fs.writeFileSync(path.join(dir, 'devices.txt'), `ok-1\n\u001b[31mred\u001b[0m\n`);
    fs.mkdirSync(path.join(dir, 'keys'));
    const escaped = runCli([...app, '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'out'], { cwd: dir });
    expect(escaped.status).toBe(2);
    expect(escaped.stderr).toBe("Error: Invalid device id '\\x1b[31mred\\x1b[0m' in devices.txt line 2: use letters, digits, '_', '-', '.', ':' (no path separators)\n");
    fs.writeFileSync(path.join(dir, 'devices.txt'), `${'x'.repeat(3_000_000)}\n`);
    const long = runCli([...app, '--devices', 'devices.txt', '--key-dir', 'keys', '--out-dir', 'out'], { cwd: dir });
    expect(long.status).toBe(2);
    expect(long.stderr.length).toBeLessThan(300);
    expect(long.stderr).toMatch(/^Error: Invalid device id 'x{80}… \(3000000 characters\)' in devices.txt line 1/);
  });
});
