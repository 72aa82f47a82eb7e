import { utf8Text } from './bytes';
import { NrfutilError } from './errors';
import { NO_SIZE_LIMITS } from './bootloaderLimits';
import type { DecodedInitPacket } from './initPacket';
import { decodeInitPacket } from './initPacketDecoder';
import { ManifestImageKind, parseManifest } from './manifest';
import { readPackageZip } from './packageZip';
import type { PackageFiles } from './dfuPackage';

export interface PackageImage {
  kind: ManifestImageKind;
  binFile: string;
  datFile: string;
  bin: Uint8Array;
  dat: Uint8Array;
  packet: DecodedInitPacket;
}

export interface ReadPackage {
  files: PackageFiles;
  images: PackageImage[];
}

/** Opens a DFU package zip: manifest, then each image's .bin and decoded .dat. */
export async function readDfuPackage(bytes: Uint8Array, source: string, options: { allowNoImages?: boolean } = {}): Promise<ReadPackage> {
  const files = await readPackageZip(bytes, source);
  const manifest = files.get('manifest.json');
  if (!manifest) throw new NrfutilError(`${source}: no manifest.json; not a DFU package`);
  let refs;
  try {
    refs = parseManifest(utf8Text(manifest), options);
  } catch (e) {
    throw new NrfutilError(`${source}: ${(e as Error).message}`);
  }
  const images = refs.map((ref) => {
    const bin = files.get(ref.binFile);
    const dat = files.get(ref.datFile);
    if (!bin) throw new NrfutilError(`${source}: manifest names ${ref.binFile}, which is not in the zip`);
    if (!dat) throw new NrfutilError(`${source}: manifest names ${ref.datFile}, which is not in the zip`);
    return { kind: ref.kind, binFile: ref.binFile, datFile: ref.datFile, bin, dat, packet: decodeInitPacket(dat, `${source}/${ref.datFile}`, NO_SIZE_LIMITS) };
  });
  return { files, images };
}
