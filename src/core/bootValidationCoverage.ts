import { FwType, InitCommand } from './initPacket';

/**
 * The bytes an ECDSA boot validation covers, by its position in the image's list: the
 * whole image, except in sd_bl.bin, where the first validation is the SoftDevice's (its
 * first sd_size bytes) and the second the bootloader's (the rest). The one statement of
 * this rule: planning, re-signing and verifying all ask here.
 */
export function bootValidationCoverage(image: { bin: Uint8Array; init: Pick<InitCommand, 'type' | 'sdSize'> }, index: number): Uint8Array {
  if (image.init.type === FwType.SOFTDEVICE_BOOTLOADER) return index === 0 ? image.bin.subarray(0, image.init.sdSize) : image.bin.subarray(image.init.sdSize);
  return image.bin;
}
