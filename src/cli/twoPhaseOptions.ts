import * as Flags from '@oclif/core/flags';
import fs from 'node:fs';
import { NrfutilError, UsageError } from '../core/errors';
import type { PackageFiles } from '../core/dfuPackage';
import { publicKeyFromText } from '../core/libraryKeys';
import { writePackageZip } from '../core/packageZip';
import { signingRequest, SigningItem } from '../core/signingRequest';
import { writeFileAtomic } from '../node/atomicFile';
import type { KeyReference } from '../plugins/keyProvider';
import { openKeyProvider } from '../plugins/registry';
import { providerContext } from './keyOptions';

export const signingRequestFlag = {
  'signing-request': Flags.string({ description: 'Two-phase signing: write the package unsigned and this JSON request naming every message to sign' }),
  'public-key': Flags.string({ description: 'The public key that signs elsewhere (PEM, or the hex of keys display --format hex)' }),
};

/** The public key a two-phase run names: --public-key FILE, or the key flags' key (a public-only one will do). */
export async function namedPublicKey(file: string | undefined, ref: KeyReference | undefined): Promise<{ xy: Uint8Array; label: string } | undefined> {
  if (file !== undefined && ref !== undefined) throw new UsageError('Give either --public-key or a key (--key-file, --key-dir), not both');
  if (file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`Invalid value for '--public-key': File '${file}' does not exist or cannot be read.`);
    }
    try {
      return { xy: publicKeyFromText(text, file), label: file };
    } catch (e) {
      throw new NrfutilError((e as Error).message);
    }
  }
  if (ref === undefined) return undefined;
  const key = await openKeyProvider(ref, providerContext());
  try {
    return { xy: await key.publicKey(), label: key.label };
  } finally {
    await key.close?.();
  }
}

/** Writes the unsigned package and its request: both, or (on failure) neither. */
export async function writeUnsignedWithRequest(out: string, requestFile: string, files: PackageFiles, items: SigningItem[], publicKey: Uint8Array | undefined): Promise<string> {
  if (requestFile === out) throw new UsageError("Invalid value for '--signing-request': give a file other than the package");
  const zip = await writePackageZip(files);
  const request = signingRequest(zip, items, publicKey);
  writeFileAtomic(out, zip);
  try {
    writeFileAtomic(requestFile, JSON.stringify(request, null, 2) + '\n');
  } catch (e) {
    fs.rmSync(out, { force: true });
    throw e;
  }
  const rounds = items.some((i) => i.id.includes('#boot-validation-'))
    ? 'These are the ECDSA boot validations; the init packets that carry them are signed in a second round (pkg sign --signatures ... --signing-request)\n'
    : '';
  return `Zip created at ${out} (unsigned)\nSigning request for ${items.length} item${items.length === 1 ? '' : 's'} written to ${requestFile}\n${rounds}`;
}
