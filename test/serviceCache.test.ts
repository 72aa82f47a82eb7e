import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pemKey } from '../src/core/libraryKeys';
import { resignPackage } from '../src/core/resignPackage';
import { verifyAuditChain } from '../src/service/audit';
import { BACKENDS, createToken, makeFleet, RunningService, startService, stopPostgres } from './helpers/service';

afterAll(stopPostgres);

// Cache and paging on both back-ends; the timeouts are the HTTP server's, checked once per back-end too (cheap).
describe.each(BACKENDS)('%s store', (backendName) => {
  const fleet = makeFleet(backendName);
  const { dir, keyDir, backend } = fleet;
  const tokens: Record<string, string> = {};
  let service: RunningService;
  let releaseId: string;

  const call = (urlPath: string, token: string, init: RequestInit = {}) => fetch(service.url + urlPath, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });
  const packagePath = (device: string) => `/v1/devices/${device}/releases/${releaseId}/package`;
  /** How many packages the service has signed (and verified) so far, from its Prometheus metrics. */
  const signings = async () => Number(/nrfutil_sign_seconds_count\{kind="package"\} (\d+)/.exec(await (await fetch(`${service.url}/metrics`)).text())?.[1] ?? 0);

  async function uploadAndApprove(file: string): Promise<string> {
    const up = await call(`/v1/releases?name=${file}`, tokens.release, { method: 'POST', body: fs.readFileSync(path.join(dir, file)), headers: { 'content-type': 'application/zip' } });
    const { id } = await up.json();
    expect((await call(`/v1/releases/${id}/approve`, tokens.release, { method: 'POST' })).status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    tokens.admin = createToken(fleet, '--role', 'admin');
    tokens.release = createToken(fleet, '--role', 'release');
    tokens.field = createToken(fleet, '--role', 'field', '--scope', '*');
    service = await startService(backend, keyDir, { requestTimeoutMs: 1000 });
    releaseId = await uploadAndApprove('app-v3.zip');
  });
  afterAll(() => service?.close());

  describe('signed-package cache', () => {
    test('a repeat for the same device and release is served from the cache: signed and verified once, the same bytes as pkg sign, every answer audited', async () => {
      const before = await signings();
      const first = Buffer.from(await (await call(packagePath('42'), tokens.field)).arrayBuffer());
      const second = await call(packagePath('42'), tokens.field);
      expect(second.status).toBe(200);
      expect(second.headers.get('content-length')).toBe(String(first.length));
      expect(Buffer.from(await second.arrayBuffer())).toEqual(first);
      expect(await signings()).toBe(before + 1);
      const expected = await resignPackage(fs.readFileSync(path.join(dir, 'app-v3.zip')), pemKey(fs.readFileSync(path.join(keyDir, '42.pem'), 'utf8')));
      expect(first).toEqual(Buffer.from(expected));
      // init packet and firmware come from the same signed package
      expect((await call(`/v1/devices/42/releases/${releaseId}/init-packet`, tokens.field)).status).toBe(200);
      expect(await signings()).toBe(before + 1);
      // another device is signed with its own key
      expect((await call(packagePath('43'), tokens.field)).status).toBe(200);
      expect(await signings()).toBe(before + 2);
      const { records } = await (await call(`/v1/audit?device=42&release=${releaseId}`, tokens.admin)).json();
      expect(records.map((r: { result: string }) => r.result)).toEqual(['signed package', 'signed package', 'signed init packet']);
    });

    test('a revoked release is never served from the cache; a revoked token is refused at once', async () => {
      const v4 = await uploadAndApprove('app-v4.zip');
      expect((await call(`/v1/devices/42/releases/${v4}/package`, tokens.field)).status).toBe(200);
      expect((await call(`/v1/releases/${v4}/revoke`, tokens.release, { method: 'POST' })).status).toBe(200);
      expect((await call(`/v1/devices/42/releases/${v4}/package`, tokens.field)).status).toBe(404);

      const phone = createToken(fleet, '--role', 'field', '--scope', '42', '--label', 'phone-to-revoke');
      expect((await call(packagePath('42'), phone)).status).toBe(200);
      const id = JSON.parse(fleet.serve(['token', 'list', '--json']).stdout).find((t: { label: string }) => t.label === 'phone-to-revoke').id;
      expect(fleet.serve(['token', 'revoke', id]).status).toBe(0);
      expect((await call(packagePath('42'), phone)).status).toBe(401);
    });

    test('with the cache off (packageCache.entries 0) every request signs', async () => {
      const uncached = await startService(backend, keyDir, { packageCache: { entries: 0, ttlMs: 60_000 } });
      try {
        const count = async () => Number(/nrfutil_sign_seconds_count\{kind="package"\} (\d+)/.exec(await (await fetch(`${uncached.url}/metrics`)).text())?.[1] ?? 0);
        for (let i = 0; i < 3; i++) expect((await fetch(uncached.url + packagePath('43'), { headers: { authorization: `Bearer ${tokens.field}` } })).status).toBe(200);
        expect(await count()).toBe(3);
      } finally {
        await uncached.close();
      }
    });
  });

  describe('audit paging', () => {
    test('GET /v1/audit?limit=&after= walks the records in pages with a next cursor; the pages add up to the whole chain', async () => {
      for (let i = 0; i < 5; i++) await call(packagePath('b1'), tokens.field);
      for (let i = 0; i < 6; i++) await call(packagePath('43'), tokens.field);
      const all = await (await call('/v1/audit', tokens.admin)).json();
      expect(all.next).toBeNull();
      expect(all.records.length).toBeGreaterThanOrEqual(11);
      const seen: number[] = [];
      let after = 0;
      for (;;) {
        const page = await (await call(`/v1/audit?limit=4&after=${after}`, tokens.admin)).json();
        expect(page.records.length).toBeLessThanOrEqual(4);
        seen.push(...page.records.map((r: { seq: number }) => r.seq));
        if (page.next === null) break;
        expect(page.records.map((r: { seq: number }) => r.seq)).toHaveLength(4);
        expect(page.next).toBe(page.records[3].seq);
        after = page.next;
      }
      expect(seen).toEqual(all.records.map((r: { seq: number }) => r.seq));
      const b1 = await (await call('/v1/audit?device=b1&limit=2', tokens.admin)).json();
      expect(b1.records.map((r: { device: string }) => r.device)).toEqual(['b1', 'b1']);
      const rest = await (await call(`/v1/audit?device=b1&after=${b1.next}`, tokens.admin)).json();
      expect(rest.next).toBeNull();
      expect(rest.records.map((r: { device: string }) => r.device)).toEqual(['b1', 'b1', 'b1']);
      for (const bad of ['limit=0', 'limit=10001', 'after=-1', 'limit=x']) expect((await call(`/v1/audit?${bad}`, tokens.admin)).status).toBe(400);
    });

    test('group commit: a batch is appended in order, each record linked to the one before; two stores appending at once keep one chain', async () => {
      const entry = (device: string) => ({ tokenId: null, device, release: null, requestSha256: null, packageSha256: null, result: 'batch test', status: 200, client: null });
      const other = await backend.open();
      try {
        const [mine, theirs] = await Promise.all([service.store.appendAudit(['x1', 'x2', 'x3'].map(entry)), other.appendAudit(['y1', 'y2'].map(entry))]);
        for (const batch of [mine, theirs])
          batch.slice(1).forEach((r, i) => {
            expect(r.seq).toBe(batch[i].seq + 1);
            expect(r.prevHash).toBe(batch[i].hash);
          });
        expect(mine.map((r) => r.device)).toEqual(['x1', 'x2', 'x3']);
        expect(await other.appendAudit([])).toEqual([]);
        const chain = await other.auditRecords();
        expect(verifyAuditChain(chain)).toEqual({ ok: true, records: chain.length });
        expect(chain.slice(-5).map((r) => r.device).sort()).toEqual(['x1', 'x2', 'x3', 'y1', 'y2']);
      } finally {
        await other.close();
      }
    });
  });

  describe('timeouts', () => {
    /** Opens a raw connection, sends `bytes`, and resolves with what the server answered and when it closed. */
    function stall(bytes: string): Promise<{ answer: string; ms: number }> {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const { port } = new URL(service.url);
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(bytes));
        let answer = '';
        const timer = setTimeout(() => (socket.destroy(), reject(new Error('the server never closed the stalled connection'))), 10_000);
        socket.on('data', (d) => (answer += d));
        socket.on('close', () => (clearTimeout(timer), resolve({ answer, ms: Date.now() - started })));
        socket.on('error', reject);
      });
    }

    test('an upload that stalls, or a connection that never sends a request, is answered 408 and closed after the request timeout', async () => {
      const upload = await stall(`POST /v1/releases?name=slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens.release}\r\nContent-Type: application/zip\r\nContent-Length: 100000\r\n\r\nPK`);
      const silent = await stall('');
      for (const { answer, ms } of [upload, silent]) {
        expect(answer).toMatch(/^HTTP\/1\.1 408 /);
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(ms).toBeLessThan(3500);
      }
      expect((await call('/v1/releases', tokens.release)).status).toBe(200);
    });
  });
});
