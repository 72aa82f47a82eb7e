import { FwType, InitCommand } from '../initPacket';
import type { ReadPackage } from '../packageReader';
import { IMAGE_ORDER, DfuImage } from './transfer';

/** The image size an init packet announces: what the bootloader waits for before it validates. */
export function declaredImageSize(init: InitCommand): number {
  const { type, sdSize, blSize, appSize } = init;
  if (type === FwType.SOFTDEVICE) return sdSize;
  if (type === FwType.BOOTLOADER) return blSize;
  if (type === FwType.SOFTDEVICE_BOOTLOADER) return sdSize + blSize;
  return appSize;
}

/** A package's images in the order nrfutil sends them (SD+BL, SD, BL, application). */
export function imagesToSend(pkg: ReadPackage): DfuImage[] {
  return IMAGE_ORDER.flatMap((kind) =>
    pkg.images
      .filter((i) => i.kind === kind)
      .map((i) => ({ name: kind, initPacket: i.dat, firmware: i.bin, declaredSize: declaredImageSize(i.packet.init) })),
  );
}
