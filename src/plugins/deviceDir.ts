import fs from 'node:fs';
import path from 'node:path';
import { NrfutilError, UsageError } from '../core/errors';
import type { KeyProviderFactory, KeyReference } from './keyProvider';
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
  accepts: (ref: KeyReference) => ref.keyDir !== undefined,
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
