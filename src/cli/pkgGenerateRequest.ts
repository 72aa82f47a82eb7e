import { UsageError } from '../core/errors';
import { DEBUG_MODE_BANNER } from './banners';
import { checkBootloaderKeys, quietWithoutKey, refuseMismatch } from './bootloaderKeyCheck';
import { PackageSpec, planPackage } from '../core/dfuPackage';
import { unsignedFromPlan } from '../core/signingRequest';
import { keyReference } from './keyOptions';
import { readPackageImages, validatePkgOptions } from './pkgGenerateOptions';
import { namedPublicKey, writeUnsignedWithRequest } from './twoPhaseOptions';
import { validateZigbeeOptions } from './zigbeeOptions';
import type { PkgGenerateFlags } from '../core/pkgOptions';

/**
 * `pkg generate … --signing-request REQ.json OUT.zip`: the package that will be signed
 * elsewhere, written unsigned, and the request naming what to sign. Options are checked
 * as for a signed package (ECDSA boot validation allowed: its signatures are requested).
 */
export async function generateWithSigningRequest(
  flags: PkgGenerateFlags & { 'key-file'?: string; 'key-dir'?: string; device?: string; devices?: string; 'public-key'?: string },
  zipfile: string | undefined,
  requestFile: string,
): Promise<string> {
  if (flags.devices !== undefined) throw new UsageError('--signing-request writes one package; leave out --devices');
  if (zipfile === undefined) throw new UsageError("Missing argument 'ZIPFILE'.");
  const { spec: options, warnings } = validatePkgOptions(flags, true);
  if (validateZigbeeOptions(flags as Parameters<typeof validateZigbeeOptions>[0])) throw new UsageError('--zigbee True cannot be combined with --signing-request');
  const publicKey = await namedPublicKey(flags['public-key'], keyReference(flags));
  const spec: PackageSpec = { ...options, ...readPackageImages(flags as { application?: string; bootloader?: string; softdevice?: string }) };
  const plan = planPackage(spec);
  const check = checkBootloaderKeys(plan.images, { signingKey: publicKey?.xy, expect: (flags as { 'expect-bootloader-key'?: string })['expect-bootloader-key'], keyDir: flags['key-dir'] });
  process.stderr.write(quietWithoutKey(check));
  refuseMismatch(check);
  const { files, items } = unsignedFromPlan(plan);
  // pkg generate's warnings and debug banner, on stdout as there
  const notes = warnings.join('') + (options.isDebug ? DEBUG_MODE_BANNER : '');
  return notes + (await writeUnsignedWithRequest(zipfile, requestFile, files, items, publicKey?.xy));
}
