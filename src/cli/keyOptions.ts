import * as Flags from '@oclif/core/flags';
import { redactSecrets } from '../core/safeText';
import fs from 'node:fs';
import { NrfutilError, UsageError } from '../core/errors';
import type { KeyProvider, KeyReference, ProviderContext, SigningKeyProvider } from '../plugins/keyProvider';
import { factoryFor, openKeyProvider } from '../plugins/registry';
import { currentConfig } from '../config';
import { expandDeviceTemplate } from '../core/deviceId';
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
    const config = currentConfig();
    if (config.provider === 'pkcs11' && config.pkcs11?.object) ref.keyFile = `pkcs11:object=${encodeURIComponent(expandDeviceTemplate(config.pkcs11.object, ref.device))}`;
    else if (config.keyDir && config.provider !== 'pkcs11') ref.keyDir = config.keyDir;
    else throw new UsageError('--device needs --key-dir DIR (or a keyDir or pkcs11.object in the nrfutil config file)');
  }
  return ref.keyFile !== undefined || ref.keyDir !== undefined ? ref : undefined;
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
export async function openSigningKey(ref: KeyReference): Promise<SigningKeyProvider> {
  if (ref.keyFile !== undefined && factoryFor(ref).name === 'pem-file' && !fs.existsSync(ref.keyFile))
    throw new UsageError(`Invalid value for '--key-file': File '${ref.keyFile}' does not exist.`);
  const provider: KeyProvider = await openKeyProvider(ref, providerContext());
  if (!provider.sign) throw new NrfutilError(`${provider.label} holds only a public key; signing needs the private key`);
  return provider as SigningKeyProvider;
}
