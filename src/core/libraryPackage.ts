import { initCommandLimitProblems } from './bootloaderLimits';
import { NamedImage, PackageSpec, planPackage, signPlan } from './dfuPackage';
import { UsageError } from './errors';
import { loadFirmwareImage, packageBinName } from './firmwareImage';
import { packageDisplayText } from './packageDisplay';
import { ImageVerdict, PackageVerdict, verifyPackage as verifyPackageAs } from './packageVerify';
import { PackageImage, readDfuPackage } from './packageReader';
import { writePackageZip } from './packageZip';
import { PkgGenerateFlags, validatePkgOptions } from './pkgOptions';
import { PublicKeyInput, resolvePublicKey, SigningKey } from './libraryKeys';
import { verifyReportText } from './verifyText';

/** A firmware file: its name (`.hex` → Intel HEX, else raw binary; names the package members) and contents. */
export interface FirmwareFile {
  name: string;
  /** The file's bytes (for a .hex, its text as bytes). */
  data: Uint8Array;
}

export type BootValidation = 'NO_VALIDATION' | 'VALIDATE_GENERATED_CRC' | 'VALIDATE_GENERATED_SHA256' | 'VALIDATE_ECDSA_P256_SHA256';

/** `pkg generate`'s options, camelCase; the same defaults and checks as the command line. */
export interface CreatePackageOptions {
  hwVersion?: number;
  sdReq?: number[];
  sdId?: number[];
  application?: FirmwareFile;
  bootloader?: FirmwareFile;
  softdevice?: FirmwareFile;
  applicationVersion?: number;
  /** `x.y.z`; wins over applicationVersion, as on the command line. */
  applicationVersionString?: string;
  bootloaderVersion?: number;
  appBootValidation?: BootValidation;
  sdBootValidation?: BootValidation;
  debugMode?: boolean;
  externalApp?: boolean;
  /** Signs the init packets (and ECDSA boot validations); without one the package is unsigned. */
  key?: SigningKey;
  /**
   * Told what the command line warns about (both version options given; an init packet
   * the nRF5 bootloader would refuse). The library itself never prints.
   */
  onWarning?: (message: string) => void;
}

const BOOT_VALIDATIONS: readonly string[] = ['NO_VALIDATION', 'VALIDATE_GENERATED_CRC', 'VALIDATE_GENERATED_SHA256', 'VALIDATE_ECDSA_P256_SHA256'];

/** A uint32 option as the command line's parser takes it; the message names the library's option. */
function uint32Text(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new UsageError(`Invalid value for '${option}': ${String(value)} is not an integer from 0 to 0xFFFFFFFF`);
  return String(value);
}

function listText(values: unknown, option: string): string[] | undefined {
  if (values === undefined) return undefined;
  if (!Array.isArray(values) || values.length === 0) throw new UsageError(`Invalid value for '${option}': give a non-empty array of SoftDevice ids`);
  return [values.map((v, i) => uint32Text(v, `${option}[${i}]`)).join(',')];
}

function choiceText(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !BOOT_VALIDATIONS.includes(value))
    throw new UsageError(`Invalid value for '${option}': '${String(value)}' is not one of ${BOOT_VALIDATIONS.join(', ')}`);
  return value;
}

function namedImage(file: FirmwareFile | undefined, option: string): NamedImage | undefined {
  if (file === undefined) return undefined;
  if (typeof file?.name !== 'string' || !file.name || !ArrayBuffer.isView(file.data))
    throw new UsageError(`Invalid value for '${option}': give { name: string, data: Uint8Array }`);
  return { binName: packageBinName(file.name), image: loadFirmwareImage(file.name, file.data as Uint8Array) };
}

function hasKey(key: unknown): key is SigningKey {
  if (key === undefined) return false;
  const k = key as Partial<SigningKey> | null;
  if (typeof k?.publicKey !== 'function' || typeof k?.sign !== 'function')
    throw new UsageError("Invalid value for 'key': give an object with publicKey() and sign(message), e.g. pemKey(text)");
  return true;
}

/** The package `pkg generate` would build from these options, without the zip. */
function packageSpec(options: CreatePackageOptions): PackageSpec {
  const flags: PkgGenerateFlags = {
    'debug-mode': options.debugMode,
    'hw-version': uint32Text(options.hwVersion, 'hwVersion'),
    'sd-req': listText(options.sdReq, 'sdReq'),
    'sd-id': listText(options.sdId, 'sdId'),
    'application-version': uint32Text(options.applicationVersion, 'applicationVersion'),
    'application-version-string': options.applicationVersionString,
    'bootloader-version': uint32Text(options.bootloaderVersion, 'bootloaderVersion'),
    'app-boot-validation': choiceText(options.appBootValidation, 'appBootValidation'),
    'sd-boot-validation': choiceText(options.sdBootValidation, 'sdBootValidation'),
    'external-app': options.externalApp,
    application: options.application?.name,
    bootloader: options.bootloader?.name,
    softdevice: options.softdevice?.name,
  };
  const { spec, warnings } = validatePkgOptions(flags, hasKey(options.key));
  for (const warning of warnings) options.onWarning?.(warning.replace(/^Warning: /, '').trim());
  return {
    ...spec,
    application: namedImage(options.application, 'application'),
    bootloader: namedImage(options.bootloader, 'bootloader'),
    softdevice: namedImage(options.softdevice, 'softdevice'),
  };
}

/**
 * A DFU package: the zip bytes `nrfutil pkg generate` writes for the same inputs. Errors
 * are UsageError (bad options, with the command line's messages) or NrfutilError (bad
 * firmware), each with a `code`.
 */
export async function createPackage(options: CreatePackageOptions): Promise<Uint8Array> {
  if (typeof options !== 'object' || options === null) throw new UsageError('createPackage takes an options object');
  const spec = packageSpec(options);
  const key = options.key;
  const plan = planPackage(spec);
  for (const image of plan.images)
    for (const problem of initCommandLimitProblems(image.init))
      options.onWarning?.(`${image.datName} will have ${problem}; the nRF5 bootloader will reject this package.`);
  const files = await signPlan(plan, key && ((message) => key.sign(message)));
  return writePackageZip(files);
}

export interface PackageContents {
  /** Every member of the zip by name. */
  files: Map<string, Uint8Array>;
  /** The manifest's images in nrfutil's order, each with its init packet decoded. */
  images: PackageImage[];
}

/** The manifest and each image's firmware and decoded init packet. `name` labels errors. */
export async function readPackage(zip: Uint8Array, name = 'package.zip'): Promise<PackageContents> {
  return readDfuPackage(zip, name);
}

/** Exactly the text `pkg display <name>` prints. */
export async function displayPackage(zip: Uint8Array, name = 'package.zip'): Promise<string> {
  return packageDisplayText(name, (await readDfuPackage(zip, name)).images);
}

/** One check of one image, in words for people. */
export interface VerifyCheck {
  check: 'signature' | 'image';
  ok: boolean;
  detail: string;
}

export interface VerifiedImage extends ImageVerdict {
  /** The signature check first, then the image's other problems (or one passing entry). */
  checks: VerifyCheck[];
}

export interface VerifyResult extends PackageVerdict {
  /** True when the bootloader trusting `publicKey` would accept the package (`accepted`). */
  ok: boolean;
  images: VerifiedImage[];
  /** The text `pkg verify` prints. */
  text: string;
}

const SIGNATURE_WORDS: Record<ImageVerdict['signature'], string> = {
  valid: 'signed with this key: the bootloader that holds its public key accepts the signature',
  'other-key': 'signed with a different key: a bootloader holding this public key rejects it',
  unsigned: 'not signed: the secure bootloader rejects unsigned packages',
  unchecked: 'not checked: the image or its init packet could not be read',
};

function checksOf(image: ImageVerdict): VerifyCheck[] {
  const checks: VerifyCheck[] = [{ check: 'signature', ok: image.signature === 'valid', detail: SIGNATURE_WORDS[image.signature] }];
  // The signature's own problem is the entry above; everything else is about the image.
  const others = image.problems.filter((p) => !(image.signature !== 'valid' && / is unsigned;| is signed by another key/.test(p)));
  for (const problem of others) checks.push({ check: 'image', ok: false, detail: problem });
  if (others.length === 0 && image.signature !== 'unchecked')
    checks.push({ check: 'image', ok: true, detail: `${image.size} bytes; size, type and SHA-256 hash match the init packet` });
  return checks;
}

/**
 * `pkg verify` as data: would the nRF5 secure bootloader that trusts `publicKey`
 * accept this package? Per image: the signature verdict and every problem in words.
 */
export async function verifyPackage(zip: Uint8Array, publicKey: PublicKeyInput, name = 'package.zip'): Promise<VerifyResult> {
  const verdict = await verifyPackageAs(zip, name, await resolvePublicKey(publicKey));
  const images = verdict.images.map((image) => ({ ...image, checks: checksOf(image) }));
  return { ...verdict, images, ok: verdict.accepted, text: verifyReportText(name, verdict) };
}
