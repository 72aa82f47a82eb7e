import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { verifyPackage } from '../src/core/packageVerify';
import { runCli, spawnServe } from './helpers/cli';
import { publicKeyFromHex } from './helpers/keys';
import { BACKENDS, createToken, makeFleet, stopPostgres } from './helpers/service';
import { createSoftHsm } from './helpers/softhsm';
import fs from 'node:fs';

const hsm = createSoftHsm('fleet');

let child: ChildProcess;
afterAll(() => child?.kill('SIGTERM'));
afterAll(stopPostgres);

describe.each(BACKENDS)('%s store', (backendName) => {
  const fleet = makeFleet(backendName);
  const { dir } = fleet;
  const hsmCli = (args: string[]) => runCli(args, { cwd: dir, env: hsm.env });
  // one SoftHSM token for both back-ends: each names its own key objects
  const TEMPLATE = `pkcs11:token=fleet;object=${backendName}-{device}`;

  test('keys from a PKCS#11 template: device 42 gets a package its HSM key verifies and 43 HSM key rejects; a wrong PIN stops it at start-up without echoing the PIN', async () => {
    for (const d of ['42', '43']) expect(hsmCli(['keys', 'generate', `pkcs11:token=fleet;object=${backendName}-${d}`]).status).toBe(0);
    const pk = (d: string) => publicKeyFromHex(hsmCli(['keys', 'display', '--key', 'pk', '--format', 'hex', `pkcs11:token=fleet;object=${backendName}-${d}`]).stdout.split('\n')[1]);
    const release = createToken(fleet, '--role', 'release');
    const field = createToken(fleet, '--role', 'field', '--scope', '42');

    let url: string;
    ({ child, url } = await spawnServe([...fleet.backend.args, '--key-template', TEMPLATE, '--port', '0'], { cwd: dir, env: { ...process.env, ...hsm.env } }));
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    const up = await fetch(`${url}/v1/releases?name=app-v3`, { method: 'POST', headers: { ...auth(release), 'content-type': 'application/zip' }, body: fs.readFileSync(path.join(dir, 'app-v3.zip')) });
    const { id } = (await up.json()) as { id: string };
    expect((await fetch(`${url}/v1/releases/${id}/approve`, { method: 'POST', headers: auth(release) })).status).toBe(200);
    const res = await fetch(`${url}/v1/devices/42/releases/${id}/package`, { headers: auth(field) });
    expect(res.status).toBe(200);
    const zip = new Uint8Array(await res.arrayBuffer());
    expect((await verifyPackage(zip, '42.zip', pk('42'))).accepted).toBe(true);
    expect((await verifyPackage(zip, '42.zip', pk('43'))).accepted).toBe(false);
    const pem = await (await fetch(`${url}/v1/devices/42/public-key?format=hex`, { headers: auth(field) })).text();
    expect(publicKeyFromHex(pem)).toEqual(pk('42'));
    child.kill('SIGTERM');

    // a wrong PIN stops the service at start-up with one line (it never listens, never retries)
    const wrongPin = runCli(['serve', ...fleet.backend.args, '--key-template', TEMPLATE, '--port', '0'], { cwd: dir, env: { ...hsm.env, NRFUTIL_PKCS11_PIN: '9999' } });
    expect(wrongPin.status).toBe(1);
    expect(wrongPin.stderr).toMatch(/^Error: the key source does not work \(checked with device 42\): PKCS#11 login to token 'fleet' failed: wrong PIN \(CKR_PIN_INCORRECT\); stopped after this one attempt; the service did not start\n$/);
    expect(wrongPin.stderr).not.toContain('9999');
  });
});
