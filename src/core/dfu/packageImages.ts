import type { ReadPackage } from '../packageReader';
import { IMAGE_ORDER, DfuImage } from './transfer';

/** A package's images in the order nrfutil sends them (SD+BL, SD, BL, application). */
export function imagesToSend(pkg: ReadPackage): DfuImage[] {
  return IMAGE_ORDER.flatMap((kind) =>
    pkg.images.filter((i) => i.kind === kind).map((i) => ({ name: kind, initPacket: i.dat, firmware: i.bin })),
  );
}
