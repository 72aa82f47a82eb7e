import { concatBytes, reversed } from './bytes';
import { sha256 } from './cryptoBackend';
import { FirmwareImage, packageDatName } from './firmwareImage';
import { BootValidation, encodeInitCommand, encodeInitPacket, FwType, FwTypeValue, HashType, InitCommand, ValidationType, ValidationTypeValue } from './initPacket';
import { bootValidationCoverage } from './bootValidationCoverage';
import { UsageError } from './errors';
import { buildManifest, ManifestImageKind } from './manifest';
import { pythonSetDifference, pythonSetOrder } from './pythonSetOrder';
import { toLittleEndianHalves } from './signature';
import { encodeZigbeeOtaFile, ZigbeeOtaLayout } from './zigbeeOta';
import { imageFromBin } from './firmwareImage';

/** A firmware input: the name it gets in the package and its normalised image. */
export interface NamedImage {
  binName: string;
  image: FirmwareImage;
}

export interface PackageSpec {
  application?: NamedImage;
  bootloader?: NamedImage;
  softdevice?: NamedImage;
  applicationVersion: number;
  bootloaderVersion: number;
  hwVersion: number;
  sdReq: number[];
  sdId?: number[];
  appBootValidation: ValidationTypeValue;
  sdBootValidation: ValidationTypeValue;
  isDebug: boolean;
  externalApp: boolean;
}

/**
 * One image of a package before signing. Boot validations of type ECDSA carry the
 * message to sign (`ecdsaMessage`); their bytes are filled in per key.
 */
export interface PlannedImage {
  kind: ManifestImageKind;
  binName: string;
  datName: string;
  bin: Uint8Array;
  init: InitCommand;
  ecdsaMessages: (Uint8Array | undefined)[];
}

export interface PackagePlan {
  images: PlannedImage[];
  /**
   * A Zigbee update: `images` is the one outer image as it is unsigned, and its firmware
   * is the OTA file wrapping `zigbee.inner`. Signing signs the inner image first, puts
   * its init packet in the OTA file, and re-derives the outer image from that file.
   */
  zigbee?: ZigbeeOtaPlan;
}

export interface ZigbeeOtaPlan {
  /** The application image inside the OTA file. */
  inner: PlannedImage;
  layout: ZigbeeOtaLayout;
}

/** Signs bytes; returns r‖s big-endian (a KeyProvider's `sign`). */
export type Signer = (message: Uint8Array) => Promise<Uint8Array> | Uint8Array;

const SD_BL_NAME = 'sd_bl.bin';
export const NO_SD_REQUIREMENT = 0xfffe;

function sha256LittleEndian(bytes: Uint8Array): Uint8Array {
  return reversed(sha256(bytes));
}

const concat = (a: Uint8Array, b: Uint8Array) => concatBytes(a, b);


interface ImageInput {
  kind: ManifestImageKind;
  binName: string;
  bin: Uint8Array;
  type: FwTypeValue;
  fwVersion: number;
  sdReq: number[];
  sizes: { sdSize?: number; blSize?: number; appSize?: number };
  /** Each validation with the bytes it covers (ECDSA signs those bytes). */
  validations: { type: ValidationTypeValue; covers: Uint8Array }[];
}

function planImage(input: ImageInput, spec: PackageSpec): PlannedImage {
  const bootValidation: BootValidation[] = [];
  const ecdsaMessages: (Uint8Array | undefined)[] = [];
  for (const v of input.validations) {
    // In a package only ECDSA carries bytes; CRC and SHA-256 are computed by the device.
    const message = v.type === ValidationType.VALIDATE_ECDSA_P256_SHA256 ? v.covers : undefined;
    bootValidation.push({ type: v.type, bytes: new Uint8Array() });
    ecdsaMessages.push(message);
  }
  const init: InitCommand = {
    fwVersion: input.fwVersion,
    hwVersion: spec.hwVersion,
    sdReq: pythonSetOrder(input.sdReq.length ? input.sdReq : [NO_SD_REQUIREMENT]),
    type: input.type,
    sdSize: input.sizes.sdSize ?? 0,
    blSize: input.sizes.blSize ?? 0,
    appSize: input.sizes.appSize ?? 0,
    hashType: HashType.SHA256,
    hash: sha256LittleEndian(input.bin),
    isDebug: spec.isDebug,
    bootValidation,
  };
  return { kind: input.kind, binName: input.binName, datName: packageDatName(input.binName), bin: input.bin, init, ecdsaMessages };
}

/**
 * Everything about a package that does not depend on the signing key: images,
 * hashes and init commands. A fleet signs one plan with many keys.
 */
export function planPackage(spec: PackageSpec): PackagePlan {
  const { application, bootloader, softdevice } = spec;
  // SoftDevice and bootloader updates may also require the SoftDevice ids the
  // application will run on (nrfutil appends --sd-id minus --sd-req).
  const systemSdReq = spec.sdId ? [...spec.sdReq, ...pythonSetDifference(spec.sdId, spec.sdReq)] : spec.sdReq;
  const images: PlannedImage[] = [];
  const crc = ValidationType.VALIDATE_GENERATED_CRC;

  if (softdevice && bootloader) {
    const sd = softdevice.image.bin;
    const bl = bootloader.image.bin;
    const sdBl = { bin: concat(sd, bl), init: { type: FwType.SOFTDEVICE_BOOTLOADER, sdSize: sd.length } };
    images.push(
      planImage(
        {
          kind: 'softdevice_bootloader',
          binName: SD_BL_NAME,
          bin: sdBl.bin,
          type: FwType.SOFTDEVICE_BOOTLOADER,
          fwVersion: spec.bootloaderVersion,
          sdReq: systemSdReq,
          sizes: { sdSize: sd.length, blSize: bl.length },
          validations: [
            { type: spec.sdBootValidation, covers: bootValidationCoverage(sdBl, 0) },
            { type: crc, covers: bootValidationCoverage(sdBl, 1) },
          ],
        },
        spec,
      ),
    );
  } else if (softdevice) {
    const sd = softdevice.image.bin;
    images.push(
      planImage(
        { kind: 'softdevice', binName: softdevice.binName, bin: sd, type: FwType.SOFTDEVICE, fwVersion: 0xffffffff, sdReq: systemSdReq, sizes: { sdSize: sd.length }, validations: [{ type: spec.sdBootValidation, covers: sd }] },
        spec,
      ),
    );
  } else if (bootloader) {
    const bl = bootloader.image.bin;
    images.push(
      planImage(
        { kind: 'bootloader', binName: bootloader.binName, bin: bl, type: FwType.BOOTLOADER, fwVersion: spec.bootloaderVersion, sdReq: systemSdReq, sizes: { blSize: bl.length }, validations: [{ type: crc, covers: bl }] },
        spec,
      ),
    );
  }
  if (application) {
    const app = application.image.bin;
    images.push(
      planImage(
        {
          kind: 'application',
          binName: application.binName,
          bin: app,
          type: spec.externalApp ? FwType.EXTERNAL_APPLICATION : FwType.APPLICATION,
          fwVersion: spec.applicationVersion,
          // nrfutil gives the application the --sd-id list whenever one is given (the
          // SoftDevice it will run on), with or without a SoftDevice in the package
          sdReq: spec.sdId ?? spec.sdReq,
          sizes: { appSize: app.length },
          validations: [{ type: spec.appBootValidation, covers: app }],
        },
        spec,
      ),
    );
  }
  checkMemberNames(images);
  return { images };
}

/**
 * Every member of the zip needs its own name. nrfutil derives them from the input file
 * names, so an input without .hex/.bin (`fw`: firmware and init packet both `fw`), one
 * called `manifest.json`, or two inputs with one base name would silently overwrite
 * each other in the zip: a package missing its firmware, with exit 0.
 */
function checkMemberNames(images: PlannedImage[]): void {
  const owners = new Map<string, string>([['manifest.json', 'the manifest']]);
  for (const image of images) {
    for (const [name, what] of [
      [image.binName, `the ${image.kind} firmware`],
      [image.datName, `the ${image.kind} init packet`],
    ]) {
      const other = owners.get(name);
      if (other)
        throw new UsageError(`Package member '${name}' would hold both ${other} and ${what}: give firmware files distinct names ending in .hex or .bin`);
      owners.set(name, what);
    }
  }
}

/** Package member name → contents. */
export type PackageFiles = Map<string, Uint8Array>;

/**
 * Signs a plan: ECDSA boot validations first (they are part of the signed
 * InitCommand), then the InitCommand itself. Without a signer the init packets are
 * unsigned, as nrfutil without --key-file. A Zigbee update's inner image is signed
 * first: its init packet goes into the OTA file the outer image is made of.
 */
export async function signPlan(plan: PackagePlan, signer?: Signer): Promise<PackageFiles> {
  const images = plan.zigbee ? [withZigbeeOtaFile(plan.images[0], plan.zigbee, await signImage(plan.zigbee.inner, signer))] : plan.images;
  const files: PackageFiles = new Map();
  for (const image of images) {
    files.set(image.binName, image.bin);
    files.set(image.datName, await signImage(image, signer));
  }
  files.set('manifest.json', new TextEncoder().encode(buildManifest(images)));
  return files;
}

/** One image's init packet: ECDSA boot validations first (they are part of the signed InitCommand), then the InitCommand. */
async function signImage(image: PlannedImage, signer?: Signer): Promise<Uint8Array> {
  const bootValidation: BootValidation[] = [];
  for (let i = 0; i < image.init.bootValidation.length; i++) {
    const message = image.ecdsaMessages[i];
    const bv = image.init.bootValidation[i];
    if (message && !signer) throw new Error('ECDSA boot validation needs a signing key');
    bootValidation.push(message ? { type: bv.type, bytes: toLittleEndianHalves(await signer!(message)) } : bv);
  }
  const init = { ...image.init, bootValidation };
  const signature = signer ? toLittleEndianHalves(await signer(encodeInitCommand(init))) : undefined;
  return encodeInitPacket(init, signature);
}

/**
 * The outer image of a Zigbee update for this inner init packet: the OTA file (padded
 * as a .bin is) as its firmware, and what follows from it (size, hash, the bytes ECDSA
 * boot validations cover) re-derived; every other InitCommand value stays.
 */
function withZigbeeOtaFile(outer: PlannedImage, zigbee: ZigbeeOtaPlan, innerInitPacket: Uint8Array): PlannedImage {
  const bin = imageFromBin(encodeZigbeeOtaFile(zigbee.layout, innerInitPacket, zigbee.inner.bin), outer.binName).bin;
  const init = { ...outer.init, appSize: bin.length, hash: sha256LittleEndian(bin) };
  return { ...outer, bin, init, ecdsaMessages: outer.ecdsaMessages.map((m, i) => (m ? bootValidationCoverage({ bin, init }, i) : undefined)) };
}

/** A Zigbee update's plan: the outer image re-derived from the OTA file that holds the inner image unsigned. */
export function zigbeeOtaPlan(outer: PlannedImage, zigbee: ZigbeeOtaPlan): PackagePlan {
  return { images: [withZigbeeOtaFile(outer, zigbee, encodeInitPacket(zigbee.inner.init))], zigbee };
}
