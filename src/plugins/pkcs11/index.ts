import type { KeyProviderFactory } from '../keyProvider';

/** pkcs11js (a native addon) and the session code load only when a pkcs11: key is used. */
const provider = async () => (await import('./provider')).pkcs11Provider;

export const pkcs11Provider: KeyProviderFactory = {
  name: 'pkcs11',
  accepts: (ref) => ref.keyFile !== undefined && ref.keyFile.toLowerCase().startsWith('pkcs11:'),
  open: async (ref, ctx) => (await provider()).open(ref, ctx),
  generate: async (ref, ctx) => (await provider()).generate!(ref, ctx),
};
