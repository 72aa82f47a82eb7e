import * as Flags from '@oclif/core/flags';
import { NrfCommand } from '../../cli/baseCommand';
import { providerContext } from '../../cli/keyOptions';
import { dataFlag, openStore } from '../../cli/serveOptions';
import { NrfutilError, UsageError } from '../../core/errors';
import { KeySource } from '../../service/keySource';
import { buildServer, DEFAULT_BODY_LIMIT, DEFAULT_RATE_LIMIT } from '../../service/server';

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
  ];
  static override flags = {
    ...dataFlag,
    'key-dir': Flags.string({ description: 'Directory of per-device keys (<dir>/<device>.pem)' }),
    'key-template': Flags.string({ description: 'Key per device with {device} in it: a pkcs11: URI or a PEM path' }),
    host: Flags.string({ description: 'Address to listen on', default: '127.0.0.1' }),
    port: Flags.integer({ description: 'Port to listen on (0: any free port)', default: 8080, min: 0, max: 65535 }),
    'body-limit': Flags.integer({ description: 'Largest release upload, in bytes', default: DEFAULT_BODY_LIMIT, min: 1 }),
    'rate-limit': Flags.integer({ description: 'Requests per token per minute', default: DEFAULT_RATE_LIMIT, min: 1 }),
    log: Flags.boolean({ description: 'Log requests (JSON lines on stdout; tokens are never logged)', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    if ((flags['key-dir'] === undefined) === (flags['key-template'] === undefined)) throw new UsageError('serve needs one key source: --key-dir DIR or --key-template TEMPLATE (with {device})');
    if (flags['key-template'] !== undefined && !flags['key-template'].includes('{device}')) throw new UsageError("Invalid value for '--key-template': it must contain {device}");
    const store = await openStore(flags);
    const keys = new KeySource({ keyDir: flags['key-dir'], keyTemplate: flags['key-template'] }, providerContext());
    await this.checkKeySource(keys, await store.anyDevice(), () => store.close());
    const app = await buildServer({ store, keys, bodyLimit: flags['body-limit'], rateLimit: flags['rate-limit'], logger: flags.log });
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
