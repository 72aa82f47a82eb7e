import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { KeySource } from '../../src/service/keySource';
import { buildServer, ServerOptions } from '../../src/service/server';
import { Store } from '../../src/service/store';
import { runCli, tempDirWith } from './cli';

/** A real service on 127.0.0.1 (any free port) over a data directory, with keys from a key directory. */
export interface RunningService {
  app: FastifyInstance;
  store: Store;
  url: string;
  close(): Promise<void>;
}

export async function startService(dataDir: string, keyDir: string, extra: Partial<ServerOptions> = {}): Promise<RunningService> {
  const store = new Store(dataDir);
  const keys = new KeySource({ keyDir }, { env: process.env, config: {}, warn: () => undefined });
  const app = await buildServer({ store, keys, ...extra });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    store,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      store.close();
    },
  };
}

/**
 * A fleet on disk: keys for devices 42, 43 (group site-a) and b1 (site-b), an unsigned
 * application package (app-v3.zip) and a second one (app-v4.zip), the device list imported.
 */
export function makeFleet(): { dir: string; keyDir: string; dataDir: string; cli: (args: string[]) => ReturnType<typeof runCli> } {
  const dir = tempDirWith('app_nrf52.hex');
  const keyDir = path.join(dir, 'keys');
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(keyDir);
  const cli = (args: string[]) => runCli(args, { cwd: dir });
  for (const device of ['42', '43', 'b1']) expect(cli(['keys', 'generate', '--key-dir', 'keys', '--device', device]).status).toBe(0);
  for (const version of ['3', '4'])
    expect(cli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application', 'app_nrf52.hex', '--application-version', version, `app-v${version}.zip`]).status).toBe(0);
  fs.writeFileSync(path.join(dir, 'devices.csv'), 'id,group,hw_version\n42,site-a,52\n43,site-a,52\nb1,site-b,52\n');
  const imported = cli(['serve', 'devices', 'import', 'devices.csv', '--data', 'data']);
  expect(imported).toMatchObject({ status: 0, stdout: 'Imported 3 devices\n' });
  return { dir, keyDir, dataDir, cli };
}

/** `serve token create …` through the CLI; returns the token printed on stdout. */
export function createToken(cli: (args: string[]) => ReturnType<typeof runCli>, ...args: string[]): string {
  const res = cli(['serve', 'token', 'create', '--data', 'data', ...args]);
  expect(res.status).toBe(0);
  expect(res.stdout).toMatch(/^nrfts_[A-Za-z0-9_-]{43}\n$/);
  return res.stdout.trim();
}
