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

export const deviceDirProvider: KeyProviderFactory = {
  name: 'device-dir',
  accepts: (ref: KeyReference) => ref.keyDir !== undefined,
  async open(ref, ctx) {
    if (ref.device === undefined) throw new UsageError('--key-dir needs --device ID (or --devices FILE) to choose a key');
    if (!fs.existsSync(ref.keyDir!)) throw new NrfutilError(`Key directory ${ref.keyDir} does not exist`);
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
