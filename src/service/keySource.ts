import fs from 'node:fs';
import { checkDeviceId } from '../core/deviceId';
import type { KeyProvider, KeyReference, ProviderContext, SigningKeyProvider } from '../plugins/keyProvider';
import { deviceKeyTemplate, openKeyProvider } from '../plugins/registry';

/**
 * Where the service finds a device's key: a directory of per-device keys (`--key-dir`)
 * or a key template with `{device}` (a pkcs11: URI or PEM path). The service only ever
 * holds providers, opened per request and closed after: it stores no private key.
 */
export interface KeySourceOptions {
  keyDir?: string;
  keyTemplate?: string;
}

export class KeySource {
  private keyOf?: (device: string) => KeyReference;

  constructor(
    private readonly options: KeySourceOptions,
    private readonly ctx: ProviderContext,
  ) {}

  describe(): string {
    return this.options.keyDir !== undefined ? `key directory ${this.options.keyDir}` : `key template ${this.options.keyTemplate}`;
  }

  /** True when keys can be found (the directory exists); otherwise why not. PKCS#11 templates are checked on use. */
  async reachable(): Promise<true | string> {
    if (this.options.keyDir !== undefined && !fs.existsSync(this.options.keyDir)) return `${this.options.keyDir} does not exist`;
    return true;
  }

  reference(device: string): KeyReference {
    checkDeviceId(device); // never let an unchecked id reach a provider (paths, URIs)
    if (this.options.keyDir !== undefined) return { keyDir: this.options.keyDir, device };
    this.keyOf ??= deviceKeyTemplate(this.options.keyTemplate!); // the template's provider, asked once
    return this.keyOf(device);
  }

  /** Runs `use` with the device's key and closes it afterwards (HSM sessions are not left open). */
  async withKey<T>(device: string, use: (key: KeyProvider) => Promise<T>): Promise<T> {
    const key = await openKeyProvider(this.reference(device), this.ctx);
    try {
      return await use(key);
    } finally {
      await key.close?.();
    }
  }

  async withSigningKey<T>(device: string, use: (key: SigningKeyProvider) => Promise<T>): Promise<T> {
    return this.withKey(device, (key) => {
      if (!key.sign) throw new Error(`${key.label} holds only a public key`);
      return use(key as SigningKeyProvider);
    });
  }
}
