import { expandDeviceTemplate } from '../core/deviceId';
import { UsageError } from '../core/errors';
import { deviceDirProvider } from './deviceDir';
import type { KeyProvider, KeyProviderFactory, KeyReference, ProviderCapabilities, ProviderContext, ProviderSettings } from './keyProvider';
import { pemFileProvider } from './pemFile';
import { pkcs11Provider } from './pkcs11Lazy';

/**
 * Provider factories in the order they are asked whether they serve a reference.
 * Third-party factories (from the config file) are registered in front of the
 * built-ins so that they can claim their own URI schemes.
 */
const factories: KeyProviderFactory[] = [deviceDirProvider, pkcs11Provider, pemFileProvider];

export { deviceDirProvider };

/** Where each third-party factory was loaded from: a worker thread loads it again from there. */
const sources = new Map<string, string>();

/** `source`: the module file it came from, so that worker threads can load it too. */
export function registerKeyProvider(factory: KeyProviderFactory, source?: string): void {
  if (factories.some((f) => f.name === factory.name)) return;
  factories.unshift(factory);
  if (source !== undefined) sources.set(factory.name, source);
}

/** The factory a plugin module exports: `provider`, a default export, or the module itself. */
export function factoryFromModule(mod: unknown): KeyProviderFactory | undefined {
  const m = mod as { default?: unknown; provider?: unknown };
  for (const candidate of [m?.provider, m?.default, (m?.default as { provider?: unknown })?.provider, m]) {
    const f = candidate as KeyProviderFactory;
    if (f && typeof f.name === 'string' && typeof f.accepts === 'function' && typeof f.open === 'function') return f;
  }
  return undefined;
}

export function listKeyProviders(): readonly KeyProviderFactory[] {
  return factories;
}

/** Module files of the registered third-party providers (for worker threads). */
export function keyProviderSources(): string[] {
  return [...sources.values()];
}

export function factoryNamed(name: string): KeyProviderFactory | undefined {
  return factories.find((f) => f.name === name);
}

export function factoryFor(ref: KeyReference): KeyProviderFactory {
  const factory = factories.find((f) => f.accepts(ref));
  if (!factory) throw new UsageError('No key given: use --key-file FILE|pkcs11:URI, or --key-dir DIR --device ID');
  return factory;
}

/**
 * Each device's key from a `{device}` template (a file path or a pkcs11: URI), for a batch
 * and the service: the id is escaped as the template's provider needs it (percent-encoded
 * inside a URI, as it is in a file name).
 */
export function deviceKeyTemplate(template: string): (device: string) => KeyReference {
  const escape = factoryFor({ keyFile: template }).escapeDevice ?? ((device: string) => device);
  return (device) => ({ keyFile: expandDeviceTemplate(template, escape(device)) });
}

/** A provider's section of the config file (`providers.<name>`); {} when there is none. */
export function providerSettings(name: string, config: Record<string, unknown>): ProviderSettings {
  const providers = config.providers as Record<string, ProviderSettings> | undefined;
  return providers?.[name] ?? {};
}

/** A factory that declares nothing: not worker-safe, one signature at a time. */
export function capabilitiesOf(factory: KeyProviderFactory, config: Record<string, unknown> = {}): ProviderCapabilities {
  const declared = typeof factory.capabilities === 'function' ? factory.capabilities(providerSettings(factory.name, config)) : factory.capabilities;
  return {
    workerSafe: declared?.workerSafe ?? false,
    maxConcurrentSignatures: Math.max(1, Math.floor(declared?.maxConcurrentSignatures ?? 1)),
    label: declared?.label ?? `${factory.name} key provider`,
  };
}

/** The context a factory is called with: the command's, plus its own config section. */
export function contextFor(factory: KeyProviderFactory, ctx: ProviderContext): ProviderContext {
  return { ...ctx, settings: providerSettings(factory.name, ctx.config) };
}

export function openKeyProvider(ref: KeyReference, ctx: ProviderContext): Promise<KeyProvider> {
  const factory = factoryFor(ref);
  return factory.open(ref, contextFor(factory, ctx));
}

/** Whether the reference's key exists; undefined when its provider cannot tell cheaply. */
export async function hasKey(ref: KeyReference, ctx: ProviderContext): Promise<boolean | undefined> {
  const factory = factoryFor(ref);
  return factory.hasKey ? factory.hasKey(ref, contextFor(factory, ctx)) : undefined;
}

export function generateKey(ref: KeyReference, ctx: ProviderContext): Promise<KeyProvider> {
  const factory = factoryFor(ref);
  if (!factory.generate) throw new UsageError(`The ${factory.name} key provider cannot generate keys`);
  return factory.generate(ref, contextFor(factory, ctx));
}
