import { UsageError } from '../core/errors';
import { deviceDirProvider } from './deviceDir';
import type { KeyProvider, KeyProviderFactory, KeyReference, ProviderContext } from './keyProvider';
import { pemFileProvider } from './pemFile';
import { pkcs11Provider } from './pkcs11Lazy';

/**
 * Provider factories in the order they are asked whether they serve a reference.
 * Third-party factories (from the config file) are registered in front of the
 * built-ins so that they can claim their own URI schemes.
 */
const factories: KeyProviderFactory[] = [deviceDirProvider, pkcs11Provider, pemFileProvider];

export function registerKeyProvider(factory: KeyProviderFactory): void {
  if (!factories.some((f) => f.name === factory.name)) factories.unshift(factory);
}

export function listKeyProviders(): readonly KeyProviderFactory[] {
  return factories;
}

export function factoryFor(ref: KeyReference): KeyProviderFactory {
  const factory = factories.find((f) => f.accepts(ref));
  if (!factory) throw new UsageError('No key given: use --key-file FILE|pkcs11:URI, or --key-dir DIR --device ID');
  return factory;
}

export function openKeyProvider(ref: KeyReference, ctx: ProviderContext): Promise<KeyProvider> {
  return factoryFor(ref).open(ref, ctx);
}

export function generateKey(ref: KeyReference, ctx: ProviderContext): Promise<KeyProvider> {
  const factory = factoryFor(ref);
  if (!factory.generate) throw new UsageError(`The ${factory.name} key provider cannot generate keys`);
  return factory.generate(ref, ctx);
}
