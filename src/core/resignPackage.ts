import { bootValidationCoverage } from './bootValidationCoverage';
import { NrfutilError } from './errors';
import type { PackageFiles, PackagePlan, PlannedImage, Signer } from './dfuPackage';
import { signPlan } from './dfuPackage';
import { FwType, InitCommand, ValidationType } from './initPacket';
import { PackageImage, readDfuPackage } from './packageReader';
import { writePackageZip } from './packageZip';
import { signedPackageProblems } from './signingCheck';
import type { SigningKey } from './libraryKeys';

/** The first word of a Zigbee OTA file (little-endian 0x0BEEF11E). */
const ZIGBEE_OTA_MAGIC = [0x1e, 0xf1, 0xee, 0x0b];

function isZigbeeOtaImage(image: PackageImage): boolean {
  return image.packet.init.type === FwType.EXTERNAL_APPLICATION && ZIGBEE_OTA_MAGIC.every((b, i) => image.bin[i] === b);
}

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

/**
 * Reads a package for re-signing. Refuses what re-signing cannot reproduce: a Zigbee
 * update (its application's init packet is inside the OTA file, signed there too) and
 * members the manifest does not name (`pkg generate` never writes any).
 */
export async function readPackageForSigning(zip: Uint8Array, name: string): Promise<{ plan: PackagePlan; images: PackageImage[]; files: PackageFiles }> {
  const { files, images } = await readDfuPackage(zip, name);
  const zigbee = images.find(isZigbeeOtaImage);
  if (zigbee)
    throw new NrfutilError(
      `${name} is a Zigbee update: the application's init packet is signed inside ${zigbee.binFile} (the OTA file) as well; re-signing it is not supported, run 'pkg generate --zigbee True' with the new key instead`,
    );
  const named = new Set(['manifest.json', ...images.flatMap((i) => [i.binFile, i.datFile])]);
  const extra = [...files.keys()].filter((f) => !named.has(f));
  if (extra.length) throw new NrfutilError(`${name} holds ${extra[0]}, which its manifest does not name; pkg sign writes only the manifest's images, so it refuses rather than drop it`);
  return { plan: planFromImages(images), images, files };
}

/** Signs a recovered plan and checks the result with the key's public key, as the bootloader would. */
export async function signAndVerify(plan: PackagePlan, key: SigningKey, name: string): Promise<PackageFiles> {
  const signer: Signer = (m) => key.sign(m);
  const files = await signPlan(plan, signer);
  const problems = signedPackageProblems(files, name, await key.publicKey());
  if (problems.length) throw new NrfutilError(`${name}: the re-signed package does not verify with the key's public key: ${problems[0]}`);
  return files;
}

/**
 * Re-signs a DFU package for another key: each image's InitCommand rebuilt with the same
 * values, ECDSA boot validations re-made, init packets signed, zip rewritten. The
 * result equals, byte for byte, what `pkg generate` writes with that key. The input may
 * be unsigned or signed by any key; the output is checked with the key's public key
 * before it is returned. `name` labels errors.
 */
export async function resignPackage(zip: Uint8Array, key: SigningKey, name = 'package.zip'): Promise<Uint8Array> {
  const { plan } = await readPackageForSigning(zip, name);
  return writePackageZip(await signAndVerify(plan, key, name));
}
