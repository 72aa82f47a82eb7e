import { equalBytes, reversed } from './bytes';
import { NO_SIZE_LIMITS } from './bootloaderLimits';
import { sha256 } from './cryptoBackend';
import { PackagePlan, zigbeeOtaPlan } from './dfuPackage';
import { NrfutilError } from './errors';
import { DecodedInitPacket, FwType } from './initPacket';
import { decodeInitPacket } from './initPacketDecoder';
import type { PackageImage } from './packageReader';
import { planFromImages } from './planFromImages';
import { isNordicZigbeeUpdate, parseZigbeeOtaFile, ParsedZigbeeOta } from './zigbeeOta';

/** An external application whose firmware is an OTA file with Nordic's DFU trigger: `pkg generate --zigbee True`'s outer image. */
export function isZigbeeOtaImage(image: Pick<PackageImage, 'packet' | 'bin'>): boolean {
  return image.packet.init.type === FwType.EXTERNAL_APPLICATION && isNordicZigbeeUpdate(image.bin);
}

const hashMatches = (packet: DecodedInitPacket, bin: Uint8Array) => equalBytes(packet.init.hash, reversed(sha256(bin)));

/** What is inside a Zigbee update's OTA file, checked. */
export interface ZigbeeOtaContents {
  ota: ParsedZigbeeOta;
  inner: DecodedInitPacket;
}

/**
 * Opens the OTA file of a Zigbee update's outer image and its inner init packet. Throws an
 * Error saying what is wrong when the file is not as `pkg generate --zigbee True` writes
 * it or the inner init packet does not describe the firmware beside it.
 */
export function readZigbeeOta(bin: Uint8Array, label: string): ZigbeeOtaContents {
  let ota: ParsedZigbeeOta;
  try {
    ota = parseZigbeeOtaFile(bin);
  } catch (e) {
    throw new Error(`${label}: ${(e as Error).message}`);
  }
  const inner = decodeInitPacket(ota.initPacket, `the init packet inside ${label}`, NO_SIZE_LIMITS);
  if (inner.init.type !== FwType.APPLICATION) throw new Error(`the init packet inside ${label} is not an application's (pkg generate --zigbee True wraps an application)`);
  if (!hashMatches(inner, ota.firmware)) throw new Error(`the init packet inside ${label} does not match the firmware beside it (SHA-256): one of them was changed after it was made`);
  return { ota, inner };
}

/**
 * The plan for re-signing a Zigbee update: the application image inside the OTA file
 * (its InitCommand as found, ECDSA boot validations to re-make) and the outer image (its
 * InitCommand as found; size and hash follow the rebuilt OTA file). Signing it gives what
 * `pkg generate --zigbee True` writes with that key. Refuses, saying why, what it could
 * not reproduce: a changed OTA file, or one not as pkg generate writes it.
 */
export function zigbeePlanFromPackage(images: PackageImage[], outer: PackageImage, name: string): PackagePlan {
  const refuse = (why: string) => new NrfutilError(`${name} is a Zigbee update that pkg sign cannot re-sign: ${why}; run 'pkg generate --zigbee True' with the new key instead`);
  if (images.length !== 1) throw refuse(`it holds ${images.length} images (pkg generate --zigbee True writes one)`);
  if (!hashMatches(outer.packet, outer.bin)) throw refuse(`${outer.binFile} (the OTA file) does not match the SHA-256 in ${outer.datFile}: it was changed after the package was made`);
  let contents: ZigbeeOtaContents;
  try {
    contents = readZigbeeOta(outer.bin, `${outer.binFile} (the OTA file)`);
  } catch (e) {
    throw refuse((e as Error).message);
  }
  const innerImage: PackageImage = {
    kind: 'application',
    binFile: `${outer.binFile}#firmware`,
    datFile: `${outer.binFile}#init`,
    bin: contents.ota.firmware,
    dat: contents.ota.initPacket,
    packet: contents.inner,
  };
  const [inner] = planFromImages([innerImage]).images;
  const [outerPlanned] = planFromImages([outer]).images;
  return zigbeeOtaPlan(outerPlanned, { inner, layout: contents.ota.layout });
}
