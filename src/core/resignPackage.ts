import { NrfutilError } from './errors';
import type { PackageFiles, PackagePlan, Signer } from './dfuPackage';
import { planFromImages } from './planFromImages';
import { signPlan } from './dfuPackage';
import { PackageImage, readDfuPackage } from './packageReader';
import { writePackageZip } from './packageZip';
import { signedPackageProblems } from './signingCheck';
import type { SigningKey } from './libraryKeys';
import { isZigbeeOtaImage, zigbeePlanFromPackage } from './zigbeeUpdateReader';


/**
 * Reads a package for re-signing. A Zigbee update gives a plan that re-signs the
 * application's init packet inside the OTA file too (see zigbeeUpdateReader). Members the
 * manifest does not name are refused (`pkg generate` never writes any).
 */
export async function readPackageForSigning(zip: Uint8Array, name: string): Promise<{ plan: PackagePlan; images: PackageImage[]; files: PackageFiles }> {
  const { files, images } = await readDfuPackage(zip, name);
  const named = new Set(['manifest.json', ...images.flatMap((i) => [i.binFile, i.datFile])]);
  const extra = [...files.keys()].filter((f) => !named.has(f));
  if (extra.length) throw new NrfutilError(`${name} holds ${extra[0]}, which its manifest does not name; pkg sign writes only the manifest's images, so it refuses rather than drop it`);
  const zigbee = images.find(isZigbeeOtaImage);
  return { plan: zigbee ? zigbeePlanFromPackage(images, zigbee, name) : planFromImages(images), images, files };
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
