import fs from 'node:fs';
import path from 'node:path';
import { parseDeviceList } from '../src/core/deviceList';
import { SoftwareKey } from '../src/plugins/pemFile';
import { runCli, tempDirWith } from './helpers/cli';

describe('keys generate --devices at scale', () => {
  // Node 20's generateKeyPairSync + export({format: 'jwk'}) deadlocks after a few
  // thousand keys; 5,000 keys in one process is past where it hung.
  test('5,000 new keys in one run: all written, distinct, valid, 0600; a second run keeps them all', () => {
    const dir = tempDirWith();
    const ids = Array.from({ length: 5000 }, (_, i) => `dev-${String(i).padStart(5, '0')}`);
    fs.writeFileSync(path.join(dir, 'devices.txt'), ids.join('\n'));
    const first = runCli(['keys', 'generate', '--devices', 'devices.txt', '--key-dir', 'keys'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first).toMatchObject({ status: 0, stdout: 'Created 5000 keys in keys\n' });
    const files = fs.readdirSync(path.join(dir, 'keys')).sort();
    expect(files).toEqual(ids.map((id) => `${id}.pem`));
    const publicKeys = new Set<string>();
    for (const id of [ids[0], ids[2500], ids[4999]]) {
      const file = path.join(dir, 'keys', `${id}.pem`);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const key = SoftwareKey.fromPem(fs.readFileSync(file), file);
      publicKeys.add(Buffer.from(key.privateScalar()!).toString('hex'));
    }
    expect(publicKeys.size).toBe(3);
    const second = runCli(['keys', 'generate', '--devices', 'devices.txt', '--key-dir', 'keys'], { cwd: dir });
    expect(second.status).toBe(0);
    expect(second.stdout.split('\n')[0]).toBe('Created 0 keys in keys');
    expect(second.stdout).toMatch(/^Left 5000 existing keys alone: dev-00000, dev-00001, /m);
  });

  test('a generated key signs and verifies (d and the public point belong together)', async () => {
    for (let i = 0; i < 50; i++) {
      const key = SoftwareKey.generate('k');
      const again = SoftwareKey.fromPem(await key.exportPrivateKeyPem(), 'k');
      expect(Buffer.from(await again.publicKey())).toEqual(Buffer.from(await key.publicKey()));
      expect(Buffer.from(again.privateScalar()!)).toEqual(Buffer.from(key.privateScalar()!));
    }
  });

  test('duplicate detection in a 100,000-line device list is linear', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `d${i}`);
    const list = parseDeviceList([...ids, ...ids].join('\n'), 'dup.txt');
    expect(list.devices).toHaveLength(50_000);
    expect(list.duplicates).toHaveLength(50_000);
  });
});
