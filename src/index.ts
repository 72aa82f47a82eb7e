/**
 * nrfutil-ts for Node programs: everything in nrfutil-ts/core, hashing and verification
 * by OpenSSL, and the Node parts: key providers (PEM file, per-device directory,
 * PKCS#11), the provider registry and its types for plugin authors, the fleet batch,
 * and file helpers.
 */
import './node/nodeCrypto';

export * from './core/index';
export { nodeCrypto } from './node/nodeCrypto';
export type { KeyProvider, KeyProviderFactory, KeyReference, ProviderCapabilities, ProviderContext, ProviderSettings, SignOptions, SigningKeyProvider } from './plugins/keyProvider';
export { SoftwareKey, openPemFile, pemFileProvider, writePrivateKeyPem } from './plugins/pemFile';
export { deviceDirProvider, deviceKeyPath } from './plugins/deviceDir';
export { pkcs11Provider } from './plugins/pkcs11/index';
export { registerKeyProvider, listKeyProviders, openKeyProvider, generateKey, capabilitiesOf, hasKey } from './plugins/registry';
export { withSigningDeadline, SigningTimeoutError } from './plugins/signingDeadline';
export type { DevicePlanRecipe } from './fleet/devicePlan';
export { runBatch } from './fleet/batch';
export type { BatchInput } from './fleet/batch';
export type { DeviceResult, BatchMode, BatchOutputOptions } from './fleet/deviceOutput';
export { writeFileAtomic, writeFileAtomicAsync } from './node/atomicFile';
export { readFirmwareFile } from './node/files';
