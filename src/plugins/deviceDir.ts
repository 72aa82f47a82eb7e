import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NrfutilError, UsageError } from '../core/errors';
import type { KeyProviderFactory, KeyReference, ProviderSettings } from './keyProvider';
import { openPemFile, SoftwareKey, writePrivateKeyPem } from './pemFile';

import { checkDeviceId } from '../core/deviceId';

/** `<dir>/<device-id>.pem`: one key per device. */
export function deviceKeyPath(keyDir: string, device: string): string {
  return path.join(keyDir, `${checkDeviceId(device)}.pem`);
}

/** A key directory that is not there: the same message for one device and for a batch (checked before any device). */
export function missingKeyDirError(keyDir: string): NrfutilError {
  return new NrfutilError(`Key directory ${keyDir} does not exist (make keys there with 'keys generate --key-dir ${keyDir} --device ID', or check the path)`);
}

export const deviceDirProvider: KeyProviderFactory = {
  name: 'device-dir',
  // PEM files, read again in any thread; signing is CPU work, one per core
  capabilities: { workerSafe: true, maxConcurrentSignatures: os.availableParallelism(), label: 'key directory' },
  accepts: (ref: KeyReference) => ref.keyDir !== undefined,
  hasKey: (ref) => ref.device !== undefined && fs.existsSync(deviceKeyPath(ref.keyDir!, ref.device)),
  keyFile: (ref) => deviceKeyPath(ref.keyDir!, ref.device!),
  // config: `providers: { "device-dir": { "dir": "keys" } }` (or the older top-level keyDir)
  deviceReference: (device, settings) => (typeof settings.dir === 'string' ? { keyDir: settings.dir, device } : undefined),
  checkSettings: (settings, where) => settingProblems(settings, where, ['dir']),
  pathSettings: ['dir'],
  async open(ref, ctx) {
    if (ref.device === undefined) throw new UsageError('--key-dir needs --device ID (or --devices FILE) to choose a key');
    if (!fs.existsSync(ref.keyDir!)) throw missingKeyDirError(ref.keyDir!);
    const file = deviceKeyPath(ref.keyDir!, ref.device);
    if (!fs.existsSync(file)) throw new NrfutilError(`No key for device ${ref.device}: ${file} does not exist`);
    return openPemFile(file, ctx);
  },
  async generate(ref) {
    if (ref.device === undefined) throw new UsageError('--key-dir needs --device ID (or --devices FILE) to name the key');
    const file = deviceKeyPath(ref.keyDir!, ref.device);
    const key = SoftwareKey.generate(file);
    await writePrivateKeyPem(file, key);
    return key;
  },
};

/** Unknown keys and non-string values of a config section (`where`) whose settings are all strings. */
export function settingProblems(settings: ProviderSettings, where: string, known: readonly string[]): string | undefined {
  for (const [k, v] of Object.entries(settings)) {
    if (!known.includes(k)) return `unknown setting "${where}.${k}" (known: ${known.join(', ')})`;
    if (typeof v !== 'string') return `${where}.${k} must be a string`;
  }
  return undefined;
}
