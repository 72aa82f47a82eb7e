import * as Flags from '@oclif/core/flags';
import { NrfCommand } from '../../cli/baseCommand';
import { providerContext } from '../../cli/keyOptions';
import { dataFlag, openStore } from '../../cli/serveOptions';
import { NrfutilError, UsageError } from '../../core/errors';
import { KeySource } from '../../service/keySource';
import { buildServer, DEFAULT_BODY_LIMIT, DEFAULT_CONNECTION_TIMEOUT_MS, DEFAULT_RATE_LIMIT, DEFAULT_REQUEST_TIMEOUT_MS } from '../../service/server';
import { loadTls } from '../../service/tls';
import { DEFAULT_PACKAGE_CACHE } from '../../service/packageCache';

export default class Serve extends NrfCommand {
  // Ctrl-C or SIGTERM stops the service: it closes the server and the store, then exits 0.
  static override handlesSignals = true;
  static override summary = 'Run the signing service: packages signed per device, on request, over HTTP.';
  static override description =
    'Field clients fetch a release signed with one device\'s key; keys come from a key directory or a PKCS#11 template and are never stored by the service. Manage it with serve token, serve devices and serve audit.';
  static override examples = [
    '<%= config.bin %> serve --data /var/lib/nrfutil --key-dir keys --port 8080',
    'PGPASSWORD=… <%= config.bin %> serve --database postgres://nrfutil@db.example/fleet --key-dir keys --host 0.0.0.0',
    "<%= config.bin %> serve --data /var/lib/nrfutil --key-template 'pkcs11:token=fleet;object={device}'",
    '<%= config.bin %> serve --data /var/lib/nrfutil --key-dir keys --host 0.0.0.0 --port 8443 --tls-cert server.crt --tls-key server.key --tls-client-ca phones-ca.crt',
  ];
  static override flags = {
    ...dataFlag,
    'key-dir': Flags.string({ description: 'Directory of per-device keys (<dir>/<device>.pem)' }),
    'key-template': Flags.string({ description: 'Key per device with {device} in it: a pkcs11: URI or a PEM path' }),
    host: Flags.string({ description: 'Address to listen on', default: '127.0.0.1' }),
    port: Flags.integer({ description: 'Port to listen on (0: any free port)', default: 8080, min: 0, max: 65535 }),
    'body-limit': Flags.integer({ description: 'Largest release upload, in bytes', default: DEFAULT_BODY_LIMIT, min: 1 }),
    'rate-limit': Flags.integer({ description: 'Requests per token per minute', default: DEFAULT_RATE_LIMIT, min: 1 }),
    'tls-cert': Flags.string({ description: 'Serve HTTPS with this certificate (PEM; with --tls-key)' }),
    'tls-key': Flags.string({ description: "The certificate's private key (PEM, unencrypted)" }),
    'tls-client-ca': Flags.string({ description: 'Require client certificates issued by this CA bundle (PEM): mutual TLS' }),
    'request-timeout': Flags.integer({ description: 'Seconds a client has to send a whole request (an upload included)', default: DEFAULT_REQUEST_TIMEOUT_MS / 1000, min: 1 }),
    'connection-timeout': Flags.integer({ description: 'Seconds a connection may stay silent before it is closed', default: DEFAULT_CONNECTION_TIMEOUT_MS / 1000, min: 1 }),
    'package-cache': Flags.integer({ description: 'Signed packages kept per (device, release) for repeat requests; 0: sign every request', default: DEFAULT_PACKAGE_CACHE.entries, min: 0 }),
    'package-cache-ttl': Flags.integer({ description: 'Seconds a cached package is served before it is signed again (a replaced key takes effect within this)', default: DEFAULT_PACKAGE_CACHE.ttlMs / 1000, min: 1 }),
    log: Flags.boolean({ description: 'Log requests (JSON lines on stdout; tokens are never logged)', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    if ((flags['key-dir'] === undefined) === (flags['key-template'] === undefined)) throw new UsageError('serve needs one key source: --key-dir DIR or --key-template TEMPLATE (with {device})');
    if (flags['key-template'] !== undefined && !flags['key-template'].includes('{device}')) throw new UsageError("Invalid value for '--key-template': it must contain {device}");
    if ((flags['tls-cert'] === undefined) !== (flags['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together: give both (the certificate and its private key, PEM)');
    if (flags['tls-client-ca'] !== undefined && flags['tls-cert'] === undefined) throw new UsageError('--tls-client-ca needs --tls-cert and --tls-key (mutual TLS is TLS first)');
    const https = flags['tls-cert'] !== undefined ? loadTls({ certFile: flags['tls-cert'], keyFile: flags['tls-key']!, clientCaFile: flags['tls-client-ca'] }) : undefined;
    const store = await openStore(flags);
    const keys = new KeySource({ keyDir: flags['key-dir'], keyTemplate: flags['key-template'] }, providerContext());
    await this.checkKeySource(keys, await store.anyDevice(), () => store.close());
    const app = await buildServer({
      store,
      keys,
      https,
      bodyLimit: flags['body-limit'],
      rateLimit: flags['rate-limit'],
      requestTimeoutMs: flags['request-timeout'] * 1000,
      connectionTimeoutMs: flags['connection-timeout'] * 1000,
      packageCache: { entries: flags['package-cache'], ttlMs: flags['package-cache-ttl'] * 1000 },
      logger: flags.log,
    });
    const address = await app.listen({ host: flags.host, port: flags.port });
    process.stderr.write(`nrfutil-ts serve: listening on ${address} (${store.location}, ${keys.describe()})\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void app.close().then(() => store.close()).then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }

  /**
   * An HSM that refuses the login (wrong PIN, missing module or token) stops the service
   * here with one line, before any request: retrying per request would lock the token.
   * A single device without a key is only a warning (keys may be provisioned later).
   */
  private async checkKeySource(keys: KeySource, device: string | undefined, cleanup: () => Promise<void>): Promise<void> {
    if (device === undefined) return;
    try {
      await keys.withKey(device, (key) => key.publicKey());
    } catch (e) {
      const message = (e as Error).message.split('\n')[0];
      if (/PKCS#11|PIN|token/.test(message)) {
        await cleanup();
        throw new NrfutilError(`the key source does not work (checked with device ${device}): ${message}; the service did not start`);
      }
      process.stderr.write(`Warning: device ${device}: ${message}\n`);
    }
  }
}
