import { createHash } from 'node:crypto';
import path from 'node:path';
import { ensureDirectory, writeFileAtomic } from '../node/atomicFile';
import { FatalError, UsageError } from '../core/errors';
import { KeyFormat, renderKey } from '../core/keyDisplay';
import type { KeyProvider } from '../plugins/keyProvider';
import { generateKey, hasKey, openKeyProvider } from '../plugins/registry';
import { DeviceResult, failure } from '../fleet/deviceOutput';
import { fleetJson, fleetSummary } from './pkgFleet';
import { perDeviceKey, readDeviceList } from './deviceBatchOptions';
import { providerContext } from './keyOptions';

/** `keys generate --devices FILE --key-dir DIR`: creates the missing keys, keeps the others. */
export async function generateFleetKeys(devicesFile: string, keyDir: string | undefined, print: (t: string) => void): Promise<boolean> {
  if (!keyDir) throw new UsageError('keys generate --devices needs --key-dir DIR');
  const { devices, duplicates } = readDeviceList(devicesFile);
  for (const d of duplicates) process.stderr.write(`Warning: device ${d} is listed more than once in ${devicesFile}\n`);
  ensureDirectory(keyDir, '--key-dir');
  const ctx = providerContext();
  const existing = new Set<string>();
  for (const device of devices) if (await hasKey({ keyDir, device }, ctx)) existing.add(device);
  const created: string[] = [];
  for (const device of devices.filter((d) => !existing.has(d))) {
    const key = await generateKey({ keyDir, device }, ctx);
    await key.close?.();
    created.push(device);
    // Key generation and writing are synchronous: let a pending Ctrl-C or SIGTERM be handled.
    await new Promise((resolve) => setImmediate(resolve));
  }
  print(`Created ${created.length} key${created.length === 1 ? '' : 's'} in ${keyDir}\n`);
  if (existing.size) print(`Left ${existing.size} existing key${existing.size === 1 ? '' : 's'} alone: ${[...existing].join(', ')}\n`);
  return true;
}

/** File name per device and format: `dfu_public_key_{device}.c` for C code. */
export function publicKeyFileName(format: KeyFormat, device: string): string {
  if (format === 'code' || format === 'dbgcode') return `dfu_public_key_${device}.c`;
  return format === 'pem' ? `public_key_${device}.pem` : `public_key_${device}.txt`;
}

/** `keys display --key pk --devices FILE --out-dir OUT`: one public-key file per device. */
export async function displayFleetKeys(
  flags: { devices: string; 'out-dir'?: string; 'key-file'?: string; 'key-dir'?: string; json?: boolean },
  format: KeyFormat,
  print: (t: string) => void,
): Promise<boolean> {
  const outDir = flags['out-dir'];
  if (!outDir) throw new UsageError('keys display --devices needs --out-dir DIR');
  const keyFor = perDeviceKey(flags);
  const { devices } = readDeviceList(flags.devices);
  ensureDirectory(outDir, '--out-dir');
  const results: DeviceResult[] = [];
  const now = new Date();
  // Keys stay open to the end: HSM keys then share one logged-in session.
  const opened: KeyProvider[] = [];
  try {
    for (const device of devices) {
      try {
        const key = await openKeyProvider(keyFor(device), providerContext());
        opened.push(key);
        const { text } = await renderKey(key, 'pk', format, now);
        const file = publicKeyFileName(format, device);
        writeFileAtomic(path.join(outDir, file), text);
        results.push({ device, status: 'ok', file, sha256: createHash('sha256').update(text).digest('hex') });
      } catch (e) {
        if (e instanceof FatalError) throw e;
        results.push(failure(device, e));
      }
    }
  } finally {
    for (const key of opened) await key.close?.();
  }
  if (flags.json) print(fleetJson(results, outDir));
  else print(fleetSummary(results, outDir, 'public keys'));
  return results.every((r) => r.status === 'ok');
}
