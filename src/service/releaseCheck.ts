import { createHash, generateKeyPairSync } from 'node:crypto';
import { signPlan } from '../core/dfuPackage';
import { pemKey } from '../core/libraryKeys';
import { verifyPackageFiles } from '../core/packageVerify';
import { readPackageForSigning } from '../core/resignPackage';
import type { PackagePlan } from '../core/dfuPackage';
import type { ReleaseImage } from './store';
import { badRequest } from './errors';

/** A throwaway key for the upload check: the release's own signatures do not matter, its contents do. */
const checkKey = pemKey(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 'upload check key');


/**
 * Checks an uploaded release as `pkg verify` does, without the device keys: it is read
 * and re-planned exactly as it will be for every device, signed with a throwaway key and
 * verified (bootloader limits, image types, sizes, firmware hashes, boot validations).
 * What fails here would fail for every device, so it is refused at upload (400).
 */
export async function checkRelease(zip: Uint8Array, name: string): Promise<{ plan: PackagePlan; images: ReleaseImage[] }> {
  let plan: PackagePlan;
  let images;
  try {
    ({ plan, images } = await readPackageForSigning(zip, name));
  } catch (e) {
    throw badRequest(`${name} is not a package this service can sign: ${(e as Error).message}`);
  }
  const files = await signPlan(plan, (m) => checkKey.sign(m));
  const verdict = verifyPackageFiles(files, name, await checkKey.publicKey());
  const problem = [...verdict.problems, ...verdict.images.flatMap((i) => i.problems)][0];
  if (problem !== undefined) throw badRequest(`${name} fails the package checks: ${problem}`);
  return {
    plan,
    images: images.map((i) => ({
      kind: i.kind,
      binFile: i.binFile,
      datFile: i.datFile,
      size: i.bin.length,
      type: i.packet.init.type,
      fwVersion: i.packet.init.fwVersion ?? null,
      hwVersion: i.packet.init.hwVersion ?? null,
      firmwareSha256: createHash('sha256').update(i.bin).digest('hex'),
    })),
  };
}

