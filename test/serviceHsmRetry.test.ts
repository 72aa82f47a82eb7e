import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { verifyPackage } from '../src/core/packageVerify';
import { runCli, spawnServe } from './helpers/cli';
import { publicKeyFromHex } from './helpers/keys';
import { createToken, makeFleet } from './helpers/service';
import { createSoftHsm } from './helpers/softhsm';

const hsm = createSoftHsm('fleet');
const fleet = makeFleet();
const { dir } = fleet;
const hsmCli = (args: string[]) => runCli(args, { cwd: dir, env: hsm.env });
const TEMPLATE = 'pkcs11:token=fleet;object=dev-{device}';
const LOSS = path.join(dir, 'session-loss');
const LOGINS = path.join(dir, 'logins');
const logins = () => Number(fs.readFileSync(LOGINS, 'utf8'));

let child: ChildProcess;
afterAll(() => child?.kill('SIGTERM'));

test('a PKCS#11 session the token lost is logged in again once and the request succeeds; lost again at once: 503, audited, no login loop; then it recovers', async () => {
  for (const d of ['42', '43']) expect(hsmCli(['keys', 'generate', `pkcs11:token=fleet;object=dev-${d}`]).status).toBe(0);
  const pk = (d: string) => publicKeyFromHex(hsmCli(['keys', 'display', '--key', 'pk', '--format', 'hex', `pkcs11:token=fleet;object=dev-${d}`]).stdout.split('\n')[1]);
  const release = createToken(fleet, '--role', 'release');
  const admin = createToken(fleet, '--role', 'admin');
  const field = createToken(fleet, '--role', 'field', '--scope', 'group:site-a');

  // the key is the HSM's, the package cache would hide signing: --package-cache 0 signs every request
  const serve = await spawnServe(['--data', 'data', '--key-template', TEMPLATE, '--port', '0', '--package-cache', '0'], {
    cwd: dir,
    env: { ...process.env, ...hsm.env, SESSION_LOSS_FILE: LOSS, LOGIN_COUNT_FILE: LOGINS },
    preload: path.join(__dirname, 'helpers', 'hsmSessionLoss.js'),
  });
  child = serve.child;
  const { url } = serve;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const up = await fetch(`${url}/v1/releases?name=app-v3`, { method: 'POST', headers: { ...auth(release), 'content-type': 'application/zip' }, body: fs.readFileSync(path.join(dir, 'app-v3.zip')) });
  const { id } = (await up.json()) as { id: string };
  expect((await fetch(`${url}/v1/releases/${id}/approve`, { method: 'POST', headers: auth(release) })).status).toBe(200);
  const fetchPackage = (device: string) => fetch(`${url}/v1/devices/${device}/releases/${id}/package`, { headers: auth(field) });

  expect((await fetchPackage('42')).status).toBe(200);
  expect(logins()).toBe(1); // the start-up check's login, shared by every request

  // the token closes every session just before the signature: one re-login, same request succeeds
  fs.writeFileSync(LOSS, 'once');
  const recovered = await fetchPackage('43');
  expect(recovered.status).toBe(200);
  expect(logins()).toBe(2);
  const zip = new Uint8Array(await recovered.arrayBuffer());
  expect((await verifyPackage(zip, '43.zip', pk('43'))).accepted).toBe(true);
  expect((await fetchPackage('42')).status).toBe(200);
  expect(logins()).toBe(2);

  // lost again right after the re-login: 503, one re-login only (no loop that could lock a token)
  fs.writeFileSync(LOSS, 'always');
  const lost = await fetchPackage('42');
  expect(lost.status).toBe(503);
  expect(await lost.json()).toEqual({ error: 'key_unavailable', message: "the device's key is unavailable (details in the service log)" });
  expect(logins()).toBe(3);

  // the token is back to normal: the next request logs in once more and is served
  fs.writeFileSync(LOSS, '');
  expect((await fetchPackage('42')).status).toBe(200);
  expect(logins()).toBe(4);

  const { records } = (await (await fetch(`${url}/v1/audit?device=42`, { headers: auth(admin) })).json()) as { records: { status: number; result: string }[] };
  expect(records.map((r) => r.status)).toEqual([200, 200, 503, 200]);
  expect(records[2].result).toBe('refused: key_unavailable');
  expect(serve.stderr()).not.toContain(hsm.pin);
});
