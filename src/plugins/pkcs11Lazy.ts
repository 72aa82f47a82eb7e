import { NrfutilError } from '../core/errors';
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

export const pkcs11Provider: KeyProviderFactory = {
  name: 'pkcs11',
  accepts: (ref) => ref.keyFile !== undefined && isPkcs11Uri(ref.keyFile),
  open: async (ref, ctx) => (await load()).open(ref, ctx),
  generate: async (ref, ctx) => (await load()).generate!(ref, ctx),
};
