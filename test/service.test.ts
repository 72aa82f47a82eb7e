import fs from 'node:fs';
import path from 'node:path';
import { pemKey } from '../src/core/libraryKeys';
import { readPackageZip } from '../src/core/packageZip';
import { decodeInitPacket } from '../src/core/initPacket';
import { verifyP256 } from '../src/core/signature';
import { verifyPackage } from '../src/core/packageVerify';
import { resignPackage } from '../src/core/resignPackage';
import { BACKENDS, createToken, makeFleet, newBackend, RunningService, startService, stopPostgres } from './helpers/service';

afterAll(stopPostgres);

describe.each(BACKENDS)('%s store', (backendName) => {
  const fleet = makeFleet(backendName);
  const { dir, keyDir, backend, cli } = fleet;
  const keyOf = (device: string) => pemKey(fs.readFileSync(path.join(keyDir, `${device}.pem`), 'utf8'));

  let service: RunningService;
  const tokens: Record<string, string> = {};
  let releaseId: string;

  const call = (urlPath: string, token: string | undefined, init: RequestInit = {}) =>
    fetch(service.url + urlPath, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) } });
  const packagePath = (device: string, release = releaseId) => `/v1/devices/${device}/releases/${release}/package`;
  const upload = (name: string, body: Uint8Array, token = tokens.release) =>
    call(`/v1/releases?name=${encodeURIComponent(name)}`, token, { method: 'POST', body: body as unknown as RequestInit['body'], headers: { 'content-type': 'application/zip' } });

  beforeAll(async () => {
    tokens.admin = createToken(fleet, '--role', 'admin');
    tokens.release = createToken(fleet, '--role', 'release', '--label', 'ci');
    tokens.siteA = createToken(fleet, '--role', 'field', '--scope', 'group:site-a', '--expires', '30d');
    tokens.only43 = createToken(fleet, '--role', 'field', '--scope', '43');
    tokens.expired = createToken(fleet, '--role', 'field', '--scope', '*', '--expires', '2020-01-01');
    tokens.revoked = createToken(fleet, '--role', 'field', '--scope', '*', '--label', 'lost phone');
    const revokedId = JSON.parse(fleet.serve(['token', 'list', '--json']).stdout).find((t: { label: string }) => t.label === 'lost phone').id;
    expect(fleet.serve(['token', 'revoke', revokedId]).status).toBe(0);
    service = await startService(backend, keyDir);
  });
  afterAll(() => service?.close());

  describe('releases', () => {
    test('a release token uploads a package: 201, a draft named by its SHA-256, not served until approved', async () => {
      const res = await upload('app-v3', fs.readFileSync(path.join(dir, 'app-v3.zip')));
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body).toMatchObject({ name: 'app-v3', state: 'draft', images: [{ kind: 'application', binFile: 'app_nrf52.bin', datFile: 'app_nrf52.dat', fwVersion: 3, hwVersion: 52 }] });
      expect(body.id).toMatch(/^[0-9a-f]{64}$/);
      releaseId = body.id;
      const draft = await call(packagePath('42'), tokens.siteA);
      expect(draft.status).toBe(404);
      expect(await draft.json()).toEqual({ error: 'not_found', message: `no approved release ${releaseId}` });
      const approved = await call(`/v1/releases/${releaseId}/approve`, tokens.release, { method: 'POST' });
      expect(approved.status).toBe(200);
      expect((await approved.json()).state).toBe('approved');
    });

    test('a field token may not upload or approve; a package that fails the checks is refused with the reason', async () => {
      expect((await upload('x', fs.readFileSync(path.join(dir, 'app-v3.zip')), tokens.siteA)).status).toBe(403);
      const broken = await upload('broken', new TextEncoder().encode('not a zip'));
      expect(broken.status).toBe(400);
      expect((await broken.json()).message).toMatch(/^broken is not a package this service can sign: /);
    });

    test('revoked and unknown releases are 404; GET /v1/releases lists them, field tokens see approved ones only', async () => {
      const v4 = await (await upload('app-v4', fs.readFileSync(path.join(dir, 'app-v4.zip')))).json();
      expect((await call(`/v1/releases/${v4.id}/approve`, tokens.admin, { method: 'POST' })).status).toBe(200);
      expect((await call(packagePath('42', v4.id), tokens.siteA)).status).toBe(200);
      expect((await call(`/v1/releases/${v4.id}/revoke`, tokens.release, { method: 'POST' })).status).toBe(200);
      expect((await call(packagePath('42', v4.id), tokens.siteA)).status).toBe(404);
      expect((await call(`/v1/releases/${v4.id}/approve`, tokens.release, { method: 'POST' })).status).toBe(409);
      expect((await call(packagePath('42', 'f'.repeat(64)), tokens.siteA)).status).toBe(404);
      const all = await (await call('/v1/releases', tokens.release)).json();
      expect(all.map((r: { name: string; state: string }) => [r.name, r.state])).toEqual(expect.arrayContaining([['app-v3', 'approved'], ['app-v4', 'revoked']]));
      const visible = await (await call('/v1/releases', tokens.siteA)).json();
      expect(visible.map((r: { name: string }) => r.name)).toEqual(['app-v3']);
    });
  });

  describe('device packages', () => {
    test("a field token gets device 42's package: pkg verify accepts it with 42's key, rejects it with 43's", async () => {
      const res = await call(packagePath('42'), tokens.siteA);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      const zip = new Uint8Array(await res.arrayBuffer());
      expect((await verifyPackage(zip, '42.zip', await keyOf('42').publicKey())).accepted).toBe(true);
      const other = await verifyPackage(zip, '42.zip', await keyOf('43').publicKey());
      expect(other.accepted).toBe(false);
      expect(other.images[0].signature).toBe('other-key');
      // the CLI's pkg verify says the same
      fs.writeFileSync(path.join(dir, 'served-42.zip'), zip);
      expect(cli(['pkg', 'verify', 'served-42.zip', '--key-dir', 'keys', '--device', '42']).status).toBe(0);
      expect(cli(['pkg', 'verify', 'served-42.zip', '--key-dir', 'keys', '--device', '43']).status).toBe(1);
    });

    test('the same bytes as pkg sign and resignPackage with that key; init-packet and firmware are its members', async () => {
      const zip = Buffer.from(await (await call(packagePath('43'), tokens.only43)).arrayBuffer());
      expect(cli(['pkg', 'sign', 'app-v3.zip', '--key-dir', 'keys', '--device', '43', 'signed-43.zip']).status).toBe(0);
      expect(zip).toEqual(fs.readFileSync(path.join(dir, 'signed-43.zip')));
      expect(Buffer.from(await resignPackage(fs.readFileSync(path.join(dir, 'app-v3.zip')), keyOf('43')))).toEqual(zip);
      const members = await readPackageZip(zip, 'zip');
      const dat = Buffer.from(await (await call(`/v1/devices/43/releases/${releaseId}/init-packet`, tokens.only43)).arrayBuffer());
      const bin = Buffer.from(await (await call(`/v1/devices/43/releases/${releaseId}/firmware`, tokens.only43)).arrayBuffer());
      expect(dat).toEqual(Buffer.from(members.get('app_nrf52.dat')!));
      expect(bin).toEqual(Buffer.from(members.get('app_nrf52.bin')!));
    });

    test("the public key in pem, hex and code forms equals keys display's", async () => {
      for (const format of ['pem', 'hex', 'code']) {
        const res = await call(`/v1/devices/42/public-key?format=${format}`, tokens.siteA);
        expect(res.status).toBe(200);
        const shown = cli(['keys', 'display', '--key', 'pk', '--format', format, '--key-dir', 'keys', '--device', '42']).stdout;
        const text = await res.text();
        if (format === 'hex') expect(text.trim()).toBe(shown.split('\n')[1].trim());
        else if (format === 'code') expect(text.replace(/\d{4}-\d\d-\d\d.*\n/, '')).toBe(shown.replace(/\d{4}-\d\d-\d\d.*\n/, '').replace(/\n$/, ''));
        else expect(text.trim()).toBe(shown.trim());
      }
    });
  });

  describe('refusals', () => {
    const expectError = async (res: Response, status: number, error: string) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await res.json();
      expect(body).toEqual({ error, message: expect.any(String) });
      return body.message as string;
    };

    test('403 outside the scope (another group, another device) and for the wrong role', async () => {
      expect(await expectError(await call(packagePath('b1'), tokens.siteA), 403, 'forbidden')).toBe("device b1 is outside this token's scope");
      await expectError(await call(packagePath('42'), tokens.only43), 403, 'forbidden');
      await expectError(await call('/v1/devices/b1/public-key', tokens.only43), 403, 'forbidden');
      await expectError(await call(packagePath('42'), tokens.release), 403, 'forbidden');
    });

    test('401 for no token, a bad one, an expired one, a revoked one', async () => {
      await expectError(await call(packagePath('42'), undefined), 401, 'unauthorized');
      await expectError(await call(packagePath('42'), 'nrfts_' + 'A'.repeat(43)), 401, 'unauthorized');
      await expectError(await call(packagePath('42'), tokens.expired), 401, 'unauthorized');
      await expectError(await call(packagePath('42'), tokens.revoked), 401, 'unauthorized');
      await expectError(await call('/v1/releases', tokens.expired), 401, 'unauthorized');
    });

    test('400 for ../x and over-long device ids', async () => {
      expect(await expectError(await call(packagePath('..%2Fx'), tokens.siteA), 400, 'bad_request')).toMatch(/^Invalid device id '\.\.\/x'/);
      await expectError(await call(packagePath('a'.repeat(129)), tokens.siteA), 400, 'bad_request');
      await expectError(await call('/v1/devices/..%2F..%2Fetc%2Fpasswd/public-key', tokens.siteA), 400, 'bad_request');
      // a well-formed id the store does not know: 404 for a token whose scope covers it
      const all = createToken(fleet, '--role', 'field', '--scope', '*');
      await expectError(await call(packagePath('unknown-7'), all), 404, 'not_found');
    });

    test("503 when the device's key is missing, without the provider's details", async () => {
      await service.store.upsertDevices([{ id: 'nokey-1', group: 'site-a', hwVersion: 52 }]);
      const message = await expectError(await call(packagePath('nokey-1'), tokens.siteA), 503, 'key_unavailable');
      expect(message).toBe("the device's key is unavailable (details in the service log)");
    });

    test('503 and no package when its audit record cannot be written', async () => {
      const store = await backend.open();
      const failing = Object.assign(Object.create(store) as typeof store, { appendAudit: () => Promise.reject(new Error('disk full')) });
      const broken = await startService({ open: async () => failing }, keyDir);
      try {
        const res = await fetch(broken.url + packagePath('42'), { headers: { authorization: `Bearer ${tokens.siteA}` } });
        expect(res.status).toBe(503);
        expect(res.headers.get('content-disposition')).toBeNull();
        expect(res.headers.get('x-package-sha256')).toBeNull();
        expect(await res.json()).toEqual({ error: 'unavailable', message: 'the audit record could not be written, so nothing was served (details in the service log)' });
      } finally {
        await broken.close();
      }
    });

    test('413 for a 20 MB upload', async () => {
      const res = await upload('huge', new Uint8Array(20 * 1024 * 1024));
      await expectError(res, 413, 'payload_too_large');
    });

    test('429 once a token passes its rate limit; other tokens go on', async () => {
      const limited = await startService(newBackend(backendName, dir, 'data-limited'), keyDir, { rateLimit: 3 });
      try {
        const t = (await limited.store.createToken('field', ['*'])).token;
        const other = (await limited.store.createToken('field', ['*'])).token;
        const statuses = [];
        for (let i = 0; i < 5; i++) statuses.push((await fetch(`${limited.url}/v1/releases`, { headers: { authorization: `Bearer ${t}` } })).status);
        expect(statuses).toEqual([200, 200, 200, 429, 429]);
        const res = await fetch(`${limited.url}/v1/releases`, { headers: { authorization: `Bearer ${t}` } });
        expect(await res.json()).toEqual({ error: 'rate_limited', message: expect.stringMatching(/^rate limit of 3 requests per minute reached/) });
        expect((await fetch(`${limited.url}/v1/releases`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });

  describe('health and OpenAPI', () => {
    test('/healthz, /readyz and /openapi.json from the route schemas', async () => {
      expect(await (await call('/healthz', undefined)).json()).toEqual({ status: 'ok' });
      expect(await (await call('/readyz', undefined)).json()).toEqual({ status: 'ready', devices: 4 });
      const doc = await (await call('/openapi.json', undefined)).json();
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/v1/releases', '/v1/releases/{id}/approve', '/v1/devices/{device}/releases/{release}/package', '/v1/devices/{device}/public-key', '/healthz']),
      );
    });
  });

  describe('two-phase: POST /v1/devices/{device}/sign', () => {
    const datOf = async (zipFile: string) => Buffer.from((await readPackageZip(fs.readFileSync(path.join(dir, zipFile)), zipFile)).get('app_nrf52.dat')!);
    const sign = (device: string, initPacket: Buffer | string, token = tokens.siteA) =>
      call(`/v1/devices/${device}/sign`, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ initPacket: typeof initPacket === 'string' ? initPacket : initPacket.toString('base64') }) });

    test("an approved release's init packet: signed with the device's key, the same .dat as in its package", async () => {
      const res = await sign('42', await datOf('app-v3.zip'));
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.release).toBe(releaseId);
      const signed = Buffer.from(body.initPacket, 'base64');
      const packet = decodeInitPacket(signed, 'signed');
      expect(verifyP256(await keyOf('42').publicKey(), packet.initBytes, Buffer.from(body.signature, 'hex'))).toBe(true);
      const served = await readPackageZip(Buffer.from(await (await call(packagePath('42'), tokens.siteA)).arrayBuffer()), 'zip');
      expect(signed).toEqual(Buffer.from(served.get('app_nrf52.dat')!));
    });

    test('firmware nobody approved (a revoked release) is refused with 403 and audited; garbage is 400; scope holds', async () => {
      const dat = await datOf('app-v4.zip');
      const res = await sign('42', dat);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'forbidden', message: 'no approved release has this firmware (hash, type, versions): nothing signed' });
      const last = (await (await call('/v1/audit?device=42', tokens.admin)).json()).records.pop();
      expect(last).toMatchObject({ device: '42', result: 'refused: forbidden', status: 403, requestSha256: expect.stringMatching(/^[0-9a-f]{64}$/), packageSha256: null });
      expect((await sign('42', Buffer.from('not an init packet'))).status).toBe(400);
      expect((await sign('b1', await datOf('app-v3.zip'))).status).toBe(403);
    });
  });

  describe('metrics', () => {
    test('/metrics: Prometheus text with requests by route and status, signing latency and failures', async () => {
      const res = await call('/metrics', undefined);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      const value = (line: string) => Number(text.split('\n').find((l) => l.startsWith(line + ' '))?.slice(line.length + 1));
      expect(value('nrfutil_http_requests_total{method="GET",route="/v1/devices/:device/releases/:release/package",status="200"}')).toBeGreaterThanOrEqual(3);
      expect(value('nrfutil_http_requests_total{method="GET",route="/v1/devices/:device/releases/:release/package",status="403"}')).toBeGreaterThanOrEqual(2);
      expect(value('nrfutil_sign_seconds_count{kind="package"}')).toBeGreaterThanOrEqual(3);
      expect(value('nrfutil_sign_seconds_count{kind="init-command"}')).toBe(1);
      expect(text).toContain('# TYPE nrfutil_sign_failures_total counter');
    });
  });

  describe('audit chain', () => {
    test('two instances on one store: every signature and refusal of 200 concurrent requests spread over both is a record; audit verify passes; no token in it', async () => {
      const before = (await (await call('/v1/audit', tokens.admin)).json()).records.length;
      const second = await startService(backend, keyDir);
      try {
        const requests = Array.from({ length: 200 }, (_, i) =>
          fetch((i % 2 ? second.url : service.url) + packagePath(i % 4 === 3 ? 'b1' : i % 8 < 4 ? '42' : '43'), { headers: { authorization: `Bearer ${tokens.siteA}` } }).then((r) => r.status),
        );
        // all settled before the second instance closes (a failed one would otherwise leave the rest in flight)
        const statuses = (await Promise.allSettled(requests)).map((r) => (r.status === 'fulfilled' ? r.value : `${r.reason} (${(r.reason as Error).cause})`));
        expect(statuses.filter((s) => s !== 200 && s !== 403)).toEqual([]);
        expect(statuses.filter((s) => s === 200)).toHaveLength(150);
        expect(statuses.filter((s) => s === 403)).toHaveLength(50);
      } finally {
        await second.close();
      }
      const { records } = await (await call('/v1/audit', tokens.admin)).json();
      expect(records).toHaveLength(before + 200);
      expect(records.map((r: { seq: number }) => r.seq)).toEqual(Array.from({ length: records.length }, (_, i) => i + 1));
      const mine = records.slice(before);
      expect(mine.filter((r: { result: string }) => r.result === 'signed package')).toHaveLength(150);
      expect(mine.filter((r: { result: string; status: number }) => r.result === 'refused: forbidden' && r.status === 403)).toHaveLength(50);
      for (const r of mine) expect(r).toMatchObject({ release: releaseId, client: '127.0.0.1', tokenId: expect.stringMatching(/^tok_/) });
      expect(new Set(mine.filter((r: { device: string }) => r.device === '42').map((r: { packageSha256: string }) => r.packageSha256)).size).toBe(1);
      expect(fleet.serve(['audit', 'verify'])).toMatchObject({ status: 0, stdout: `Audit chain intact: ${records.length} records\n` });
      const everything = await backend.dump(['audit', 'tokens']);
      for (const secret of Object.values(tokens)) expect(everything).not.toContain(secret);
    });

    test('a restart keeps tokens, devices, releases and the chain', async () => {
      const zipBefore = Buffer.from(await (await call(packagePath('42'), tokens.siteA)).arrayBuffer());
      await service.close();
      service = await startService(backend, keyDir);
      const zipAfter = Buffer.from(await (await call(packagePath('42'), tokens.siteA)).arrayBuffer());
      expect(zipAfter).toEqual(zipBefore);
      expect((await call(packagePath('42'), tokens.expired)).status).toBe(401);
      expect((await call(packagePath('b1'), tokens.siteA)).status).toBe(403);
      expect(fleet.serve(['audit', 'verify']).status).toBe(0);
    });

    describe('audit verify names the first record that was tampered with', () => {
      const tampered = async (name: string, sql: string[]) => cli(['serve', 'audit', 'verify', ...(await backend.tamperedCopy(name, sql))]);

      test('a changed record', async () => {
        const res = await tampered('changed', ["UPDATE audit SET client = '10.0.0.9' WHERE seq = 12"]);
        expect(res).toMatchObject({ status: 1, stdout: '', stderr: 'Error: audit chain broken: record 12 was changed (its contents do not match its hash)\n' });
      });

      test('a removed record', async () => {
        const res = await tampered('removed', ['DELETE FROM audit WHERE seq = 30']);
        expect(res).toMatchObject({ status: 1, stderr: 'Error: audit chain broken: record 30 was removed (the chain goes from record 29 to record 31)\n' });
        // removed and the rest renumbered to hide the gap
        const hidden = await tampered('removed-renumbered', ['DELETE FROM audit WHERE seq = 30', 'UPDATE audit SET seq = -seq WHERE seq > 30', 'UPDATE audit SET seq = -seq - 1 WHERE seq < 0']);
        expect(hidden).toMatchObject({ status: 1, stderr: expect.stringContaining('record 30 is out of place') });
      });

      test('records cut off the end, found against a head kept outside the database (serve audit head, --expect-head)', async () => {
        const head = fleet.serve(['audit', 'head']);
        expect(head).toMatchObject({ status: 0, stderr: '', stdout: expect.stringMatching(/^\d+:[0-9a-f]{64}\n$/) });
        const anchor = head.stdout.trim();
        const last = Number(anchor.split(':')[0]);
        const truncated = await backend.tamperedCopy('truncated', [`DELETE FROM audit WHERE seq >= ${last - 1}`]);
        // the chain alone cannot tell: what is left is a valid, shorter chain
        expect(cli(['serve', 'audit', 'verify', ...truncated])).toMatchObject({ status: 0, stdout: `Audit chain intact: ${last - 2} records\n` });
        expect(cli(['serve', 'audit', 'verify', '--expect-head', anchor, ...truncated])).toMatchObject({
          status: 1,
          stdout: '',
          stderr: `Error: audit chain broken: record ${last} (the expected head) is missing: the chain ends at record ${last - 2}, so records were removed from its end\n`,
        });
        const untouched = await backend.tamperedCopy('untouched', []);
        expect(cli(['serve', 'audit', 'verify', '--expect-head', anchor, ...untouched])).toMatchObject({ status: 0, stdout: `Audit chain intact: ${last} records\n` });
        // a chain rebuilt (every link valid) has another record where the kept head was
        expect(cli(['serve', 'audit', 'verify', '--expect-head', `${last}:${'0'.repeat(64)}`, ...untouched])).toMatchObject({
          status: 1,
          stderr: `Error: audit chain broken: record ${last} is not the expected head: the chain was rewritten from that record or before\n`,
        });
        expect(cli(['serve', 'audit', 'verify', '--expect-head', '12:beef', ...truncated])).toMatchObject({
          status: 2,
          stderr: "Error: Invalid value for '--expect-head': '12:beef' is not SEQ:HASH as 'serve audit head' prints it\n",
        });
      });

      test('two records swapped', async () => {
        const res = await tampered('reordered', ['UPDATE audit SET seq = -1 WHERE seq = 50', 'UPDATE audit SET seq = 50 WHERE seq = 51', 'UPDATE audit SET seq = 51 WHERE seq = -1']);
        expect(res).toMatchObject({ status: 1, stderr: 'Error: audit chain broken: record 50 is out of place (removed or reordered: it does not follow record 49)\n' });
      });
    });
  });
});
