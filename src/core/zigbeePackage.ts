import { imageFromBin } from './firmwareImage';
import { NO_SD_REQUIREMENT, PackageFiles, PackagePlan, PackageSpec, planPackage, Signer, signPlan } from './dfuPackage';
import { encodeInitPacket } from './initPacket';
import { encodeZigbeeOtaFile, parseZigbeeOtaFile, ZigbeeOtaHeader, zigbeeOtaFileName, zigbeeOtaLayout } from './zigbeeOta';

export interface ZigbeeUpdateOptions {
  manufacturerId: number;
  imageType: number;
  comment: string;
  /** Firmware version of the outer package's init packet (nrfutil: 0 when not given). */
  otaFwVersion?: number;
  /** Hardware version of the outer package's init packet (else --hw-version). */
  otaHwVersion?: number;
  minHwVersion?: number;
  maxHwVersion?: number;
}

export interface ZigbeeUpdate {
  otaFileName: string;
  otaFile: Uint8Array;
  /** The outer package: the OTA file as an external application. */
  files: PackageFiles;
}

/**
 * nrfutil's Zigbee update: the application package is built and signed as usual, its
 * init packet and firmware are wrapped in a Zigbee OTA file, and that file is shipped
 * in an outer package as an external application with no SoftDevice requirement,
 * signed with the same key. One plan (`planZigbeeUpdate`) signs it in one step, here
 * and in `pkg sign`.
 */
export function planZigbeeUpdate(spec: PackageSpec, options: ZigbeeUpdateOptions): { plan: PackagePlan; otaFileName: string } {
  const application = spec.application;
  if (!application) throw new Error('a Zigbee update needs an application image');
  const inner = planPackage(spec).images.find((i) => i.kind === 'application')!;
  const header: ZigbeeOtaHeader = {
    manufacturerId: options.manufacturerId,
    imageType: options.imageType,
    fileVersion: spec.applicationVersion,
    comment: options.comment,
    minHwVersion: options.minHwVersion,
    maxHwVersion: options.maxHwVersion,
  };
  const otaFileName = zigbeeOtaFileName(header);
  const zigbee = { inner, layout: zigbeeOtaLayout(header) };
  // the outer package as it is unsigned
  const unsignedOta = encodeZigbeeOtaFile(zigbee.layout, encodeInitPacket(inner.init), inner.bin);
  const outerSpec: PackageSpec = {
    ...spec,
    application: { binName: otaFileName.replace(/\.zigbee$/, '.bin'), image: imageFromBin(unsignedOta, otaFileName) },
    externalApp: true,
    sdReq: [NO_SD_REQUIREMENT],
    sdId: undefined,
    applicationVersion: options.otaFwVersion ?? 0,
    hwVersion: options.otaHwVersion ?? spec.hwVersion,
  };
  // planPackage derives the outer image from the unsigned OTA file already (what zigbeeOtaPlan
  // would derive again); signing re-derives it from the signed inner init packet
  return { plan: { images: planPackage(outerSpec).images, zigbee }, otaFileName };
}

/** The name `pkg generate` gave the OTA file: its .bin member's, as .zigbee. */
export function zigbeeOtaFileNameOf(plan: PackagePlan): string {
  return plan.images[0].binName.replace(/\.bin$/, '') + '.zigbee';
}

/** The OTA file a signed Zigbee update carries: its .bin member without the padding. */
export function zigbeeOtaFileOf(files: PackageFiles, plan: PackagePlan): Uint8Array {
  return parseZigbeeOtaFile(files.get(plan.images[0].binName)!).otaFile;
}

export async function buildZigbeeUpdate(spec: PackageSpec, options: ZigbeeUpdateOptions, signer?: Signer): Promise<ZigbeeUpdate> {
  const { plan, otaFileName } = planZigbeeUpdate(spec, options);
  const files = await signPlan(plan, signer);
  return { otaFileName, otaFile: zigbeeOtaFileOf(files, plan), files };
}
