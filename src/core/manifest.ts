export type ManifestImageKind = 'application' | 'bootloader' | 'softdevice' | 'softdevice_bootloader';

export interface ManifestEntry {
  kind: ManifestImageKind;
  binName: string;
  datName: string;
  init: { sdSize: number; blSize: number };
}

/**
 * manifest.json as nrfutil writes it: Python's json.dumps(sort_keys=True, indent=4),
 * which for these plain objects is JSON.stringify with sorted keys and 4 spaces.
 */
export function buildManifest(images: readonly ManifestEntry[]): string {
  const manifest: Record<string, unknown> = {};
  for (const image of [...images].sort((a, b) => (a.kind < b.kind ? -1 : 1))) {
    const entry: Record<string, unknown> = { bin_file: image.binName, dat_file: image.datName };
    if (image.kind === 'softdevice_bootloader')
      entry.info_read_only_metadata = { bl_size: image.init.blSize, sd_size: image.init.sdSize };
    manifest[image.kind] = entry;
  }
  return JSON.stringify({ manifest }, null, 4);
}

export interface ManifestImageRef {
  kind: ManifestImageKind;
  binFile: string;
  datFile: string;
  sdSize?: number;
  blSize?: number;
}

/** The order nrfutil lists and sends images: SoftDevice/bootloader before the application. */
export const IMAGE_ORDER: readonly ManifestImageKind[] = ['softdevice_bootloader', 'softdevice', 'bootloader', 'application'];

/**
 * Parses manifest.json; throws with a reason the caller prefixes with the file name.
 * `allowNoImages`: nrfutil writes (and displays) a package without images, e.g.
 * `pkg generate --hw-version 52 --sd-req 1 o.zip`; only a device update needs one.
 */
export function parseManifest(text: string, { allowNoImages = false } = {}): ManifestImageRef[] {
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`manifest.json is not valid JSON (${(e as Error).message})`);
  }
  const manifest = json?.manifest;
  if (!manifest || typeof manifest !== 'object') throw new Error('manifest.json has no "manifest" object');
  const refs: ManifestImageRef[] = [];
  for (const kind of IMAGE_ORDER) {
    const entry = manifest[kind];
    if (entry === undefined) continue;
    if (typeof entry?.bin_file !== 'string' || typeof entry?.dat_file !== 'string')
      throw new Error(`manifest.json: "${kind}" needs string "bin_file" and "dat_file"`);
    refs.push({ kind, binFile: entry.bin_file, datFile: entry.dat_file, sdSize: entry.info_read_only_metadata?.sd_size, blSize: entry.info_read_only_metadata?.bl_size });
  }
  const unknown = Object.keys(manifest).filter((k) => !IMAGE_ORDER.includes(k as ManifestImageKind));
  if (unknown.length) throw new Error(`manifest.json: unknown image kind "${unknown[0]}"`);
  if (refs.length === 0 && !allowNoImages) throw new Error('manifest.json lists no images');
  return refs;
}
