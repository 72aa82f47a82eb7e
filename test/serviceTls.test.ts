import { ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { spawnServe } from './helpers/cli';
import { createToken, makeFleet, RunningService, startService } from './helpers/service';
import { loadTls } from '../src/service/tls';

const fleet = makeFleet();
const { dir, keyDir, backend, cli } = fleet;
const at = (f: string) => path.join(dir, f);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A CA, a server certificate for 127.0.0.1 signed by it, a client certificate signed by it, and a client of another CA. */
function makeCertificates(): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'other-ca']) openssl('req', '-x509', ...ec, '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', `/CN=${ca}`);
  const leaf = (name: string, ca: string, ext: string) => {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    fs.writeFileSync(at(`${name}.ext`), ext);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  };
  leaf('server', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('phone', 'ca', 'extendedKeyUsage=clientAuth\n');
  leaf('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
}

interface Answer {
  status: number;
  body: Buffer;
}

/** One HTTPS GET with node:https, trusting our CA, optionally with a client certificate. */
function get(url: string, options: { token?: string; client?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      url,
      {
        ca: fs.readFileSync(at('ca.crt')),
        ...(options.client ? { cert: fs.readFileSync(at(`${options.client}.crt`)), key: fs.readFileSync(at(`${options.client}.key`)) } : {}),
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

let field: string;
beforeAll(() => {
  makeCertificates();
  field = createToken(fleet, '--role', 'field', '--scope', 'group:site-a');
});

describe('serve over TLS', () => {
  let child: ChildProcess | undefined;
  afterAll(() => child?.kill('SIGTERM'));

  test('serve --tls-cert --tls-key listens on https: a client that trusts the CA gets answers; plain http is not served', async () => {
    let url: string;
    ({ child, url } = await spawnServe(['--data', 'data', '--key-dir', 'keys', '--port', '0', '--tls-cert', 'server.crt', '--tls-key', 'server.key'], { cwd: dir }));
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await get(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toEqual({ status: 'ok' });
    const key = await get(`${url}/v1/devices/42/public-key?format=hex`, { token: field });
    expect(key.status).toBe(200);
    expect(key.body.toString()).toMatch(/^[0-9a-f]{128}\n$/);
    await expect(fetch(url.replace('https:', 'http:') + '/healthz')).rejects.toThrow();
  });

  test('unreadable, wrong or mismatched TLS files stop serve with one line naming the option', () => {
    fs.writeFileSync(at('not-a-cert.pem'), 'hello\n');
    const serve = (...tls: string[]) => cli(['serve', '--data', 'data', '--key-dir', 'keys', '--port', '0', ...tls]);
    const cases: [string[], RegExp][] = [
      [['--tls-cert', 'missing.crt', '--tls-key', 'server.key'], /^Error: Cannot read --tls-cert missing\.crt \(ENOENT\); give a readable PEM file\n$/],
      [['--tls-cert', 'server.crt', '--tls-key', 'missing.key'], /^Error: Cannot read --tls-key missing\.key \(ENOENT\); give a readable PEM file\n$/],
      [['--tls-cert', 'not-a-cert.pem', '--tls-key', 'server.key'], /^Error: --tls-cert not-a-cert\.pem is not a PEM certificate \(-----BEGIN CERTIFICATE-----\)\n$/],
      [['--tls-cert', 'server.crt', '--tls-key', 'server.crt'], /^Error: --tls-key server\.crt is not a PEM private key\n$/],
      [['--tls-cert', 'server.crt', '--tls-key', 'phone.key'], /^Error: --tls-key phone\.key does not belong to --tls-cert server\.crt \(the key and the certificate's public key differ\)\n$/],
      [['--tls-cert', 'server.crt', '--tls-key', 'server.key', '--tls-client-ca', 'not-a-cert.pem'], /^Error: --tls-client-ca not-a-cert\.pem is not a PEM certificate bundle/],
    ];
    for (const [args, message] of cases) {
      const res = serve(...args);
      expect({ args, status: res.status, stderr: res.stderr }).toEqual({ args, status: 1, stderr: expect.stringMatching(message) });
    }
    const half = serve('--tls-cert', 'server.crt');
    expect(half.status).toBe(2);
    expect(half.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(half.stderr).toMatch(/^Error: .*--tls-key/);
  });
});

describe('mutual TLS (--tls-client-ca)', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService(backend, keyDir, { https: loadTls({ certFile: at('server.crt'), keyFile: at('server.key'), clientCaFile: at('ca.crt') }) });
  });
  afterAll(() => service?.close());
  const url = () => service.url.replace('http:', 'https:');

  test('a client with a certificate from the CA is served', async () => {
    const res = await get(`${url()}/v1/devices/42/public-key?format=hex`, { token: field, client: 'phone' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toMatch(/^[0-9a-f]{128}\n$/);
  });

  test('a client without a certificate, or with one from another CA, is refused in the handshake (a valid token does not help)', async () => {
    await expect(get(`${url()}/healthz`, { token: field })).rejects.toThrow(/certificate required|alert|ECONNRESET|socket hang up/i);
    await expect(get(`${url()}/healthz`, { token: field, client: 'stranger' })).rejects.toThrow(/unknown ca|alert|ECONNRESET|socket hang up/i);
  });
});
