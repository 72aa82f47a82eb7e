import { NrfutilError } from '../core/errors';
import { settingProblems } from './deviceDir';
import { expandDeviceTemplate } from '../core/deviceId';
import type { KeyProviderFactory } from './keyProvider';
import { isPkcs11Uri } from './pkcs11/uri';

/**
 * The PKCS#11 provider, loaded on first use: its native add-on (pkcs11js) is built at
 * install time and is missing after `npm install --ignore-scripts` or on a machine
 * without a C++ toolchain. Every command without a pkcs11: key works without it.
 */
async function load(): Promise<KeyProviderFactory> {
  try {
    return (await import('./pkcs11')).pkcs11Provider;
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0];
    throw new NrfutilError(
      `PKCS#11 keys need the pkcs11js native add-on, which cannot be loaded here (${reason}); reinstall without --ignore-scripts on a machine with python3, make and a C++ compiler`,
    );
  }
}

/** Everything about the PKCS#11 provider that needs no native add-on (shared with ./pkcs11). */
export const pkcs11Traits: Omit<KeyProviderFactory, 'open'> = {
  name: 'pkcs11',
  // one logged-in session per token, shared by the command's keys and used in turn
  capabilities: { workerSafe: false, maxConcurrentSignatures: 1, label: 'PKCS#11 token' },
  accepts: (ref) => ref.keyFile !== undefined && isPkcs11Uri(ref.keyFile),
  // in a URI a device id is a path attribute value: ':' and the like are percent-encoded
  escapeDevice: (device) => encodeURIComponent(device),
  deviceReference: (device, settings) =>
    typeof settings.object === 'string' ? { keyFile: `pkcs11:object=${encodeURIComponent(expandDeviceTemplate(settings.object, device))}` } : undefined,
  checkSettings: (settings, where) => settingProblems(settings, where, ['module', 'token', 'object']),
  pathSettings: ['module'],
};

export const pkcs11Provider: KeyProviderFactory = {
  ...pkcs11Traits,
  open: async (ref, ctx) => (await load()).open(ref, ctx),
  generate: async (ref, ctx) => (await load()).generate!(ref, ctx),
};
