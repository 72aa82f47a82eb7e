import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnServe } from './helpers/cli';
import { BACKENDS, createToken, makeFleet, stopPostgres } from './helpers/service';

afterAll(stopPostgres);

describe.each(BACKENDS)('%s store', (backendName) => {
  const fleet = makeFleet(backendName);
  const { dir, backend, cli } = fleet;

  /** `nrfutil-ts serve` on this fleet's store and keys. */
  const startServe = (args: string[]) => spawnServe([...backend.args, '--key-dir', 'keys', '--port', '0', ...args], { cwd: dir, stdout: 'pipe' });

  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

  test('serve: one command starts it; a field token fetches a package; SIGTERM stops it cleanly', async () => {
    const release = createToken(fleet, '--role', 'release');
    const field = createToken(fleet, '--role', 'field', '--scope', '42');
    const { child, url, stderr } = await startServe([]);
    try {
      expect(stderr()).toMatch(backendName === 'sqlite' ? /^nrfutil-ts serve: listening on http:\/\/127\.0\.0\.1:\d+ \(data .*data, key directory keys\)\n$/ : /^nrfutil-ts serve: listening on http:\/\/127\.0\.0\.1:\d+ \(database postgres:\/\/nrfutil@localhost\/data_\d+\?host=\S+, key directory keys\)\n$/);
      const up = await fetch(`${url}/v1/releases?name=app-v3`, { method: 'POST', headers: { authorization: `Bearer ${release}`, 'content-type': 'application/zip' }, body: fs.readFileSync(path.join(dir, 'app-v3.zip')) });
      expect(up.status).toBe(201);
      const { id } = (await up.json()) as { id: string };
      expect((await fetch(`${url}/v1/releases/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${release}` } })).status).toBe(200);
      const pkg = await fetch(`${url}/v1/devices/42/releases/${id}/package`, { headers: { authorization: `Bearer ${field}` } });
      expect(pkg.status).toBe(200);
      expect(cli(['pkg', 'sign', 'app-v3.zip', '--key-dir', 'keys', '--device', '42', 'expected.zip']).status).toBe(0);
      expect(Buffer.from(await pkg.arrayBuffer())).toEqual(fs.readFileSync(path.join(dir, 'expected.zip')));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
  });

  test('killing the server in the middle of a release upload leaves no half release', async () => {
    const release = createToken(fleet, '--role', 'release');
    const { child, url } = await startServe([]);
    const before = await backend.open();
    const releasesBefore = (await before.releases()).length;
    await before.close();
    const { port } = new URL(url);
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/releases?name=half', headers: { authorization: `Bearer ${release}`, 'content-type': 'application/zip', 'content-length': 4_000_000 } });
    req.on('error', () => undefined); // the server goes away mid-request
    req.write(fs.readFileSync(path.join(dir, 'app-v4.zip')));
    req.write(Buffer.alloc(1_000_000));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await exited(child);
    req.destroy();
    const store = await backend.open();
    try {
      const releases = await store.releases();
      expect(releases.map((r) => r.name)).not.toContain('half');
      expect(releases).toHaveLength(releasesBefore);
      expect((await backend.storedZips()).sort()).toEqual(releases.map((r) => r.id).sort());
    } finally {
      await store.close();
    }
  });

  describe('usage errors: one line, exit 2', () => {
    test.each([
      [['serve'], 'Error: serve needs one key source: --key-dir DIR or --key-template TEMPLATE (with {device})\n'],
      [['serve', '--key-template', 'pkcs11:object=fleet'], "Error: Invalid value for '--key-template': it must contain {device}\n"],
      [['serve', 'token', 'create', '--role', 'field'], "Error: A field token needs --scope (device ids, group:NAME or '*')\n"],
      [['serve', 'token', 'create', '--role', 'field', '--scope', '../x'], "Error: Invalid value for '--scope': '../x' is not a device id, group:NAME or *\n"],
      [['serve', 'token', 'create', '--role', 'admin', '--expires', 'soon'], "Error: Invalid value for '--expires': 'soon' is neither a date (2027-01-31, 2027-01-31T12:00:00Z) nor a duration (90d, 12h, 30m)\n"],
      [['serve', 'devices', 'import', 'missing.csv'], "Error: Invalid value for 'FILE': File 'missing.csv' does not exist or cannot be read.\n"],
    ])('%j', (args, stderr) => {
      expect(cli([...args, ...backend.args])).toMatchObject({ status: 2, stdout: '', stderr });
    });

    test('a device list with a bad id or hw_version names the line', () => {
      fs.writeFileSync(path.join(dir, 'bad.csv'), 'id,group,hw_version\n44,site-a,52\n../45,site-a,52\n');
      expect(fleet.serve(['devices', 'import', 'bad.csv']).stderr).toMatch(/^Error: Invalid device id '\.\.\/45' in bad\.csv line 3/);
      fs.writeFileSync(path.join(dir, 'bad-hw.csv'), 'id,hw_version\n44,fifty\n');
      expect(fleet.serve(['devices', 'import', 'bad-hw.csv'])).toMatchObject({ status: 2, stderr: "Error: bad-hw.csv line 2: hw_version 'fifty' is not a whole number (0 to 4294967295)\n" });
    });
  });

  test('serve devices import: plain lists with --group, CSV groups and hw_version, re-import updates', async () => {
    fs.writeFileSync(path.join(dir, 'plain.txt'), '# site C\nc1\nc2\nc1\n');
    expect(fleet.serve(['devices', 'import', 'plain.txt', '--group', 'site-c'])).toMatchObject({ status: 0, stdout: 'Imported 2 devices\n', stderr: 'Warning: plain.txt lists c1 more than once\n' });
    fs.writeFileSync(path.join(dir, 'move.csv'), 'hw_version,id,group\n53,42,site-b\n');
    expect(fleet.serve(['devices', 'import', 'move.csv']).status).toBe(0);
    const store = await backend.open();
    try {
      expect(await store.device('c2')).toEqual({ id: 'c2', group: 'site-c', hwVersion: null });
      expect(await store.device('42')).toEqual({ id: '42', group: 'site-b', hwVersion: 53 });
      await store.upsertDevices([{ id: 'hw-max', group: null, hwVersion: 0xffffffff }]);
      expect(await store.device('hw-max')).toEqual({ id: 'hw-max', group: null, hwVersion: 0xffffffff });
    } finally {
      await store.close();
    }
  });

  test('serve token list shows ids, roles and scopes, never a token; revoke of an unknown id is exit 1', () => {
    const token = createToken(fleet, '--role', 'field', '--scope', 'group:site-a,43', '--label', 'phone 7');
    const list = fleet.serve(['token', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^tok_[0-9a-f]{12} {2}field {4}group:site-a,43 +expires never {2}phone 7$/m);
    expect(list.stdout).not.toContain(token);
    expect(fleet.serve(['token', 'revoke', 'tok_000000000000'])).toMatchObject({ status: 1, stderr: 'Error: No active token tok_000000000000: see serve token list\n' });
  });
});
