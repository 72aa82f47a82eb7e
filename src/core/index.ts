/**
 * nrfutil-ts/core: build, sign, read and verify nRF5 SDK DFU packages and bootloader
 * settings in memory, bytes in and bytes out. Portable: nothing below this module uses
 * Node's built-ins, so it runs in browsers, web workers, React Native and Node alike
 * (test/portableCore.test.ts holds it to that).
 */
export { createPackage, readPackage, displayPackage, verifyPackage } from './libraryPackage';
export type { CreatePackageOptions, FirmwareFile, BootValidation, PackageContents, VerifyResult, VerifiedImage, VerifyCheck } from './libraryPackage';
export { resignPackage } from './resignPackage';
export { createSigningRequest, applySignatures } from './twoPhaseSigning';
export type { SigningRequest } from './signingRequest';
export { findEmbeddedPublicKeys, keyFingerprint } from './bootloaderKey';
export { createSettings } from './librarySettings';
export type { CreateSettingsOptions } from './librarySettings';
export { pemKey, publicKeyCode, publicKeyFromText } from './libraryKeys';
export type { PemKey, PublicKeyInput, SigningKey } from './libraryKeys';
export type { KeyFormat } from './keyDisplay';
export { NrfutilError, UsageError, KeyError } from './errors';
export type { PackageImage } from './packageReader';
export type { DecodedInitPacket, InitCommand } from './initPacket';
export { FwType, HashType, ValidationType, SignatureType, OpCode } from './initPacket';
export type { ImageVerdict, PackageVerdict } from './packageVerify';
export type { ManifestImageKind } from './manifest';
export { SETTINGS_FAMILIES, SETTINGS_PAGE_ADDRESS } from './settingsPage';
export type { SettingsFamily } from './settingsPage';
export { useCryptoBackend, portableCrypto } from './cryptoBackend';
export type { CryptoBackend } from './cryptoBackend';
