import { resolvePublicKey, PublicKeyInput } from './libraryKeys';
import { writePackageZip } from './packageZip';
import { readPackageForSigning } from './resignPackage';
import { insertSignatures, refuseZigbeeTwoPhase, signingRequest, SigningRequest, unsignedFromImages } from './signingRequest';

/** A package read for two-phase signing: Zigbee updates are refused with the reason. */
export async function readPackageForTwoPhase(zip: Uint8Array, name: string): ReturnType<typeof readPackageForSigning> {
  return refuseZigbeeTwoPhase(await readPackageForSigning(zip, name), name);
}

/**
 * Two-phase signing for programs (a signing service, a CI step): the package made
 * unsigned with the request naming every message to sign, as `--signing-request` writes.
 */
export async function createSigningRequest(zip: Uint8Array, publicKey?: PublicKeyInput, name = 'package.zip'): Promise<{ zip: Uint8Array; request: SigningRequest }> {
  const { images } = await readPackageForTwoPhase(zip, name);
  const { files, items } = unsignedFromImages(images);
  const unsigned = await writePackageZip(files);
  return { zip: unsigned, request: signingRequest(unsigned, items, publicKey === undefined ? undefined : await resolvePublicKey(publicKey)) };
}

/**
 * Inserts signatures made elsewhere (`{"<item id>": "<DER or r‖s, hex or base64>"}`), each
 * checked against `publicKey` first, as `--signatures` does. When ECDSA boot validations
 * needed a first round, `complete` is false and `request` names the second round's items.
 */
export async function applySignatures(
  zip: Uint8Array,
  signatures: Record<string, unknown>,
  publicKey: PublicKeyInput,
  name = 'package.zip',
): Promise<{ zip: Uint8Array; complete: boolean; request?: SigningRequest }> {
  const key = await resolvePublicKey(publicKey);
  const { images } = await readPackageForTwoPhase(zip, name);
  const result = insertSignatures(images, signatures, key, 'signatures', 'the public key');
  const out = await writePackageZip(result.files);
  return result.complete ? { zip: out, complete: true } : { zip: out, complete: false, request: signingRequest(out, result.pending, key) };
}
