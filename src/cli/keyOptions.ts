import * as Flags from '@oclif/core/flags';
import { redactSecrets } from '../core/safeText';
import { NrfutilError, UsageError } from '../core/errors';
import type { KeyProvider, KeyReference, ProviderContext, SigningKeyProvider } from '../plugins/keyProvider';
import { capabilitiesOf, contextFor, deviceDirProvider as defaultDeviceProvider, factoryFor, factoryNamed, openKeyProvider, providerSettings } from '../plugins/registry';
import { DEFAULT_SIGN_TIMEOUT_SECONDS, withSigningDeadline } from '../plugins/signingDeadline';
import { currentConfig } from '../config';
import { promptSecret } from './prompt';

/** The key flags shared by every command that signs or shows keys. */
export const keyFlags = {
  'key-file': Flags.string({ description: 'Signing key: a PEM file, or a PKCS#11 URI (pkcs11:token=…;object=…)' }),
  'key-dir': Flags.string({ description: 'Directory of per-device keys (<dir>/<device>.pem); use with --device' }),
  device: Flags.string({ description: 'Device id: chooses <key-dir>/<device>.pem' }),
};

/**
 * The key the flags name. A bare `--device ID` uses the config file's default provider:
 * its key directory, or its PKCS#11 token and object label template.
 */
export function keyReference(flags: { 'key-file'?: string; 'key-dir'?: string; device?: string }): KeyReference | undefined {
  const ref: KeyReference = { keyFile: flags['key-file'], keyDir: flags['key-dir'], device: flags.device };
  if (ref.keyFile !== undefined && ref.keyDir !== undefined) throw new UsageError('Give either --key-file or --key-dir, not both');
  if (ref.device !== undefined && ref.keyFile === undefined && ref.keyDir === undefined) {
    const deviceRef = configuredDeviceReference(ref.device);
    if (!deviceRef) throw new UsageError('--device needs --key-dir DIR (or a keyDir or pkcs11.object in the nrfutil config file)');
    Object.assign(ref, deviceRef, { device: deviceRef.device ?? ref.device });
  }
  return ref.keyFile !== undefined || ref.keyDir !== undefined ? ref : undefined;
}

/**
 * The key a bare `--device ID` means: the config's `provider` names the provider, whose own
 * section says how (a key directory, a token's object label template, a plugin's scheme).
 * A provider that cannot name device keys leaves them to the key directory.
 */
function configuredDeviceReference(device: string): KeyReference | undefined {
  const config = currentConfig() as Record<string, unknown>;
  const chosen = typeof config.provider === 'string' ? factoryNamed(config.provider) : undefined;
  const factory = chosen?.deviceReference ? chosen : defaultDeviceProvider;
  return factory.deviceReference!(device, providerSettings(factory.name, config));
}

/** Milliseconds one signature may take: --sign-timeout, else the config's signTimeout, else the default. */
export function signTimeoutMs(flag?: string): number {
  if (flag === undefined) return Math.round((currentConfig().signTimeout ?? DEFAULT_SIGN_TIMEOUT_SECONDS) * 1000);
  const seconds = Number(flag);
  if (flag.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`Invalid value for '--sign-timeout': '${flag}' is not a number of seconds above 0.`);
  return Math.round(seconds * 1000);
}


export function providerContext(): ProviderContext {
  return {
    env: process.env,
    config: currentConfig() as Record<string, unknown>,
    promptSecret: process.stdin.isTTY ? promptSecret : undefined,
    warn: (m) => process.stderr.write(`Warning: ${redactSecrets(m)}\n`),
  };
}

/**
 * Opens the key the flags name. As in nrfutil, a --key-file path that does not exist
 * is a usage error of the signing commands.
 */
export async function openSigningKey(ref: KeyReference, signTimeout?: string): Promise<SigningKeyProvider> {
  const factory = factoryFor(ref);
  const ctx = providerContext();
  if (ref.keyFile !== undefined && factory.keyFile !== undefined && (await factory.hasKey?.(ref, contextFor(factory, ctx))) === false)
    throw new UsageError(`Invalid value for '--key-file': File '${ref.keyFile}' does not exist.`);
  const provider: KeyProvider = await openKeyProvider(ref, ctx);
  if (!provider.sign) throw new NrfutilError(`${provider.label} holds only a public key; signing needs the private key`);
  return withSigningDeadline(provider as SigningKeyProvider, { timeoutMs: signTimeoutMs(signTimeout), what: capabilitiesOf(factory, ctx.config).label });
}

/** `--sign-timeout`, for the commands that sign. */
export const signTimeoutFlag = {
  'sign-timeout': Flags.string({ description: 'Seconds one signature may take (a remote signer) before it fails; default: signTimeout in the config, else 60' }),
};
