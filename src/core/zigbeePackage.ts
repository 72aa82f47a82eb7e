import { imageFromBin } from './firmwareImage';
import { NO_SD_REQUIREMENT, PackageFiles, PackageSpec, planPackage, Signer, signPlan } from './dfuPackage';
import { buildZigbeeOtaFile, ZigbeeOtaHeader, zigbeeOtaFileName } from './zigbeeOta';

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
 * signed with the same key.
 */
export async function buildZigbeeUpdate(spec: PackageSpec, options: ZigbeeUpdateOptions, signer?: Signer): Promise<ZigbeeUpdate> {
  const application = spec.application;
  if (!application) throw new Error('a Zigbee update needs an application image');
  const plan = planPackage(spec);
  const appImage = plan.images.find((i) => i.kind === 'application')!;
  const initPacket = (await signPlan(plan, signer)).get(appImage.datName)!;

  const header: ZigbeeOtaHeader = {
    manufacturerId: options.manufacturerId,
    imageType: options.imageType,
    fileVersion: spec.applicationVersion,
    comment: options.comment,
    minHwVersion: options.minHwVersion,
    maxHwVersion: options.maxHwVersion,
  };
  const otaFileName = zigbeeOtaFileName(header);
  const otaFile = buildZigbeeOtaFile(header, initPacket, application.image.bin);
  const outerSpec: PackageSpec = {
    ...spec,
    application: { binName: otaFileName.replace(/\.zigbee$/, '.bin'), image: imageFromBin(otaFile, otaFileName) },
    externalApp: true,
    sdReq: [NO_SD_REQUIREMENT],
    sdId: undefined,
    applicationVersion: options.otaFwVersion ?? 0,
    hwVersion: options.otaHwVersion ?? spec.hwVersion,
  };
  return { otaFileName, otaFile, files: await signPlan(planPackage(outerSpec), signer) };
}
