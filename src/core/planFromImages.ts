import { bootValidationCoverage } from './bootValidationCoverage';
import type { PackagePlan, PlannedImage } from './dfuPackage';
import { ValidationType } from './initPacket';
import type { PackageImage } from './packageReader';

const isEcdsa = (type: number) => type === ValidationType.VALIDATE_ECDSA_P256_SHA256;

/**
 * The plan `pkg generate` made for this package, recovered from it: every InitCommand
 * value as found, ECDSA boot validations emptied and marked for re-signing. Signing
 * the plan with a key gives the package `pkg generate` writes with that key.
 */
export function planFromImages(images: PackageImage[]): PackagePlan {
  return {
    images: images.map((image): PlannedImage => {
      const init = image.packet.init;
      return {
        kind: image.kind,
        binName: image.binFile,
        datName: image.datFile,
        bin: image.bin,
        init: { ...init, bootValidation: init.bootValidation.map((bv) => (isEcdsa(bv.type) ? { type: bv.type, bytes: new Uint8Array() } : bv)) },
        ecdsaMessages: init.bootValidation.map((bv, i) => (isEcdsa(bv.type) ? bootValidationCoverage({ bin: image.bin, init }, i) : undefined)),
      };
    }),
  };
}

