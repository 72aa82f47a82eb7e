import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { verifyPackage } from '../src/core/packageVerify';
import { pemKey } from '../src/core/libraryKeys';
import { BIN } from './helpers/cli';
import { makeFleet } from './helpers/service';
import { readmeShellBlock } from './helpers/readmeExamples';

const { dir, keyDir } = makeFleet();

/** A port nothing listens on right now. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

test("the README's service example runs as written: serve, import, tokens, upload, approve, curl the package and key, audit verify", async () => {
  const block = readmeShellBlock('nrfutil-ts serve --data /var/lib/nrfutil');
  // the sandbox: `nrfutil-ts` on PATH is this checkout, the data directory a temporary one, the
  // port a free one (the only changes); the service is stopped at the end, as Ctrl-C would
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'nrfutil-ts'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  const port = await freePort();
  const data = path.join(dir, 'service-data');
  const script = `${block.replaceAll('/var/lib/nrfutil', data).replaceAll('8080', String(port))}\nkill $!\nwait $!\n`;
  const run = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, timeout: 120_000 });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining('Error') });
  expect(run.stdout).toContain('Imported 2 devices\n');
  expect(run.stdout).toMatch(/"state":"approved"/);
  expect(run.stdout).toContain('const uint8_t pk[64] =');
  expect(run.stdout).toMatch(/Audit chain intact: 2 records\n$/);
  expect(run.stdout).not.toMatch(/nrfts_/); // token list shows ids, never the tokens
  const zip = fs.readFileSync(path.join(dir, 'dev42.zip'));
  const key = (device: string) => pemKey(fs.readFileSync(path.join(keyDir, `${device}.pem`), 'utf8')).publicKey();
  expect((await verifyPackage(zip, 'dev42.zip', await key('42'))).accepted).toBe(true);
  expect((await verifyPackage(zip, 'dev42.zip', await key('43'))).accepted).toBe(false);
});
