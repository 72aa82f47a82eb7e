import { UsageError } from './errors';
import { isNrf5DebugKey, privateKeyHex, publicKeyCode, publicKeyHex, publicKeyPem } from './keyEncoding';
import { parsePemKey } from './pemDer';

export type KeyFormat = 'hex' | 'code' | 'pem' | 'dbgcode';

/** The part of a key provider that displaying needs. */
export interface DisplayableKey {
  readonly label: string;
  publicKey(): Promise<Uint8Array>;
  exportPrivateKeyPem?(): Promise<string>;
}

/** `keys display --key pk` text for a public key x‖y. */
export function publicKeyText(xy: Uint8Array, format: KeyFormat, now = new Date()): string {
  switch (format) {
    case 'hex':
      return `Public (verification) key pk:\n${publicKeyHex(xy)}`;
    case 'code':
    case 'dbgcode':
      return publicKeyCode(xy, format === 'dbgcode', now);
    case 'pem':
      return publicKeyPem(xy);
  }
}

const PRIVATE_KEY_WARNING = '\nWARNING: Security risk! Do not share the private key.\n\n';

/**
 * The text `keys display` produces (printing adds a newline; --out_file does not).
 * Works from any provider for public keys; private keys only where the provider
 * holds them in software.
 */
export async function renderKey(key: DisplayableKey, which: 'pk' | 'sk', format: KeyFormat, now = new Date()): Promise<{ text: string; isDebugKey: boolean }> {
  const xy = await key.publicKey();
  const isDebugKey = isNrf5DebugKey(xy);
  if (which === 'pk') return { text: publicKeyText(xy, format, now), isDebugKey };
  if (format === 'code' || format === 'dbgcode') throw new UsageError('Displaying the private key as code is not available.');
  if (!key.exportPrivateKeyPem)
    throw new UsageError(`${key.label}: the private key cannot be displayed: it never leaves its key store (use --key pk)`);
  const pem = await key.exportPrivateKeyPem();
  if (format === 'pem') return { text: PRIVATE_KEY_WARNING + pem, isDebugKey };
  const d = parsePemKey(pem, key.label).d!;
  return { text: `${PRIVATE_KEY_WARNING}Private (signing) key sk:\n${privateKeyHex(d)}`, isDebugKey };
}
