import { toLittleEndianHalves } from '../../src/core/signature';

/** `keys display --key pk --format hex` prints x and y each reversed: undo that. */
export function publicKeyFromHex(hex: string): Uint8Array {
  return toLittleEndianHalves(Buffer.from(hex.trim(), 'hex'));
}
