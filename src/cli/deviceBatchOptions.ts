import * as Flags from '@oclif/core/flags';
import fs from 'node:fs';
import { DeviceList, parseDeviceList } from '../core/deviceList';
import { UsageError } from '../core/errors';
import type { KeyReference } from '../plugins/keyProvider';
import { keyReference } from './keyOptions';
import { missingKeyDirError } from '../plugins/deviceDir';
import { deviceKeyTemplate } from '../plugins/registry';

/** Flags shared by the commands that work on a list of devices. */
export const deviceBatchFlags = {
  devices: Flags.string({ description: 'Device list: one id per line (# comments), or a CSV with an "id" column' }),
  'out-dir': Flags.string({ description: 'Directory for the per-device files (with --devices; created if missing)' }),
  json: Flags.boolean({ description: 'With --devices: print the summary as JSON' }),
};

export function readDeviceList(file: string): DeviceList {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`Invalid value for '--devices': File '${file}' does not exist or cannot be read.`);
  }
  return parseDeviceList(text, file);
}

/**
 * Each device's key: `--key-dir DIR` (DIR/<id>.pem), a `--key-file` template with
 * `{device}` (a path or a pkcs11: URI), or the config file's default provider.
 */
export function perDeviceKey(flags: { 'key-file'?: string; 'key-dir'?: string }): (device: string) => KeyReference {
  const keyFile = flags['key-file'];
  if (keyFile !== undefined && !keyFile.includes('{device}'))
    throw new UsageError("With --devices, --key-file must be a template containing {device} (e.g. 'pkcs11:token=fleet;object=dev-{device}'), or use --key-dir DIR");
  if (keyFile !== undefined) return deviceKeyTemplate(keyFile);
  return (device) => {
    const ref = keyReference({ 'key-dir': flags['key-dir'], device });
    if (!ref) throw new UsageError('--devices needs keys: --key-dir DIR, or a --key-file template containing {device}');
    return ref;
  };
}

/**
 * What every device of a batch would fail on is one error before any output, as in a
 * single run: here, a key directory that does not exist.
 */
export function checkBatchKeys(flags: { 'key-file'?: string; 'key-dir'?: string }): void {
  const keyDir = flags['key-dir'];
  if (flags['key-file'] === undefined && keyDir !== undefined && !fs.existsSync(keyDir)) throw missingKeyDirError(keyDir);
}

/** --out-dir given, and a --name-template that names one file per device inside it. */
export function checkBatchOutput(outDir: string | undefined, nameTemplate: string): string {
  if (!outDir) throw new UsageError('--devices needs --out-dir DIR for the per-device files');
  if (!nameTemplate.includes('{device}') || /[\\/]/.test(nameTemplate))
    throw new UsageError(`Invalid value for '--name-template': '${nameTemplate}' must contain {device} and no path separator`);
  return outDir;
}

/**
 * The batch's device list (a duplicate: one warning, one package), with the keys checked as
 * a single run checks its one key: a reference that cannot work is one usage error before
 * any output.
 */
export function readBatchDevices(devicesFile: string, keyFlags: { 'key-file'?: string; 'key-dir'?: string }, keyFor: (device: string) => KeyReference): string[] {
  const { devices, duplicates } = readDeviceList(devicesFile);
  for (const d of duplicates) process.stderr.write(`Warning: device ${d} is listed more than once in ${devicesFile}; it gets one package\n`);
  if (devices.length) keyFor(devices[0]);
  checkBatchKeys(keyFlags);
  return devices;
}

/** Progress on stderr, only when it is a terminal. */
export function progressBar(total: number): (done: number) => void {
  if (!process.stderr.isTTY) return () => undefined;
  const width = 30;
  return (done) => {
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}
