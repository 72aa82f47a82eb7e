import { crc32 } from './crc32';
import { UsageError } from './errors';
import { Segment } from './intelHex';
import { BOOT_VALIDATION_START, Offset, SETTINGS_FAMILIES, SETTINGS_FAMILY_LABEL, SETTINGS_PAGE_ADDRESS, SettingsFamily, V1_LENGTH, V2_LENGTH } from './settingsPage';

export interface SettingsFields {
  crc: number;
  version: number;
  applicationVersion: number;
  bootloaderVersion: number;
  bankLayout: number;
  bankCurrent: number;
  applicationSize: number;
  applicationCrc: number;
  bankCode: number;
  softdeviceSize: number;
  /** Version 2 only (0 for version 1, as nrfutil shows it). */
  bootValidationCrc: number;
  sdValidationType: number;
  appValidationType: number;
}

export interface SettingsView {
  family: SettingsFamily;
  /** Lowest address in the file: nrfutil reports this, not the page address. */
  startAddress: number;
  fields: SettingsFields;
}

class ProbeFailure extends Error {}

const hex8 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;

function byteAt(segments: Segment[], address: number): number | undefined {
  for (const { address: base, data } of segments) if (address >= base && address < base + data.length) return data[address - base];
  return undefined;
}

function bytesAt(segments: Segment[], address: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const b = byteAt(segments, address + i);
    if (b === undefined) throw new ProbeFailure(`Bad access at 0x${address.toString(16).toUpperCase()}: not enough data to read ${length} contiguous bytes`);
    out[i] = b;
  }
  return out;
}

function wordAt(segments: Segment[], address: number): number {
  const b = bytesAt(segments, address, 4);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

/** A signed byte, shown as nrfutil shows it: `& 0xffffffff` of the Python int (0x80 → 0xFFFFFF80). */
function signedByteAt(segments: Segment[], address: number): number {
  const b = bytesAt(segments, address, 1)[0];
  return (b >= 0x80 ? b - 0x100 : b) >>> 0;
}

/** Bytes for a CRC as nrfutil reads them: a missing byte reads as 0xFF (intelhex's padding). */
function paddedBytes(segments: Segment[], address: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = byteAt(segments, address + i) ?? 0xff;
  return out;
}

/**
 * The page's fields, read as nrfutil's probe_settings reads them. A version-1 page shows
 * SoftDevice size 0 (nrfutil does not read that field for v1) unless `v1SoftDeviceSize`
 * (settings generate prints the size it wrote, whatever the version).
 */
export function readSettingsFields(segments: Segment[], base: number, { v1SoftDeviceSize = false } = {}): SettingsFields {
  const word = (offset: number) => wordAt(segments, base + offset);
  const crc = word(Offset.CRC); // first: the probe's failure names the page address
  const version = word(Offset.SETTINGS_VERSION);
  const v2 = version === 2;
  const fields = {
    crc,
    version,
    applicationVersion: word(Offset.APP_VERSION),
    bootloaderVersion: word(Offset.BOOTLOADER_VERSION),
    bankLayout: word(Offset.BANK_LAYOUT),
    bankCurrent: word(Offset.BANK_CURRENT),
    applicationSize: word(Offset.BANK0_IMAGE_SIZE),
    applicationCrc: word(Offset.BANK0_IMAGE_CRC),
    bankCode: word(Offset.BANK0_BANK_CODE),
  };
  return {
    ...fields,
    softdeviceSize: v2 || v1SoftDeviceSize ? word(Offset.SD_SIZE) : 0,
    bootValidationCrc: v2 ? word(Offset.BOOT_VALIDATION_CRC) : 0,
    sdValidationType: v2 ? signedByteAt(segments, base + Offset.SD_VALIDATION_TYPE) : 0,
    appValidationType: v2 ? signedByteAt(segments, base + Offset.APP_VALIDATION_TYPE) : 0,
  };
}

/** Python's hex(): lower case, no padding. */
const pyHex = (n: number) => `0x${n.toString(16)}`;

/** One probe at one address, as nrfutil's probe_settings: the fields, or why not. */
function probe(segments: Segment[], base: number): SettingsFields {
  const crc = wordAt(segments, base + Offset.CRC);
  const version = wordAt(segments, base + Offset.SETTINGS_VERSION);
  if (version !== 1 && version !== 2) throw new ProbeFailure(`Unknown Bootloader DFU settings version: ${version}`);
  const computed = crc32(paddedBytes(segments, base + Offset.SETTINGS_VERSION, V1_LENGTH - Offset.SETTINGS_VERSION));
  if (computed !== crc) throw new ProbeFailure(`CRC32 mismtach: flash: ${pyHex(crc)} calculated: ${pyHex(computed)}`);
  return readSettingsFields(segments, base);
}

/**
 * Finds the settings page the way nrfutil 6.1.7 does: probes each family's address in
 * order and takes the first that yields a page. A probe fails on missing bytes, an
 * unknown settings version or a CRC mismatch; nrfutil prints the nRF52 probe's failure
 * on stdout (`onNote`) and keeps the others quiet. When every probe fails, the last
 * reason is a usage error (exit 2), as in nrfutil. `onWarning` gets what we check
 * beyond nrfutil (the boot-validation CRC), for stderr.
 */
export function findSettings(segments: Segment[], source: string, onNote: (text: string) => void, onWarning: (text: string) => void = () => {}): SettingsView {
  let lastFailure = '';
  for (const family of SETTINGS_FAMILIES) {
    const base = SETTINGS_PAGE_ADDRESS[family];
    try {
      const fields = probe(segments, base);
      const problem = bootValidationCrcProblem(segments, base, fields);
      if (problem) onWarning(`Warning: ${source}: settings page at ${hex8(base)}: ${problem}; the bootloader would reject this page\n`);
      const startAddress = Math.min(...segments.map((s) => s.address));
      return { family, startAddress, fields };
    } catch (e) {
      if (!(e instanceof ProbeFailure)) throw e;
      lastFailure = e.message;
      if (family === 'NRF52') onNote(`${e.message}\n`);
    }
  }
  throw new UsageError(`Failed to parse .hex file: ${lastFailure} (${source} holds no bootloader settings page at any family's address)`);
}

/** nrfutil does not check the v2 boot-validation CRC; the bootloader does. */
function bootValidationCrcProblem(segments: Segment[], base: number, fields: SettingsFields): string | undefined {
  if (fields.version !== 2) return undefined;
  const computed = crc32(paddedBytes(segments, base + BOOT_VALIDATION_START, V2_LENGTH - BOOT_VALIDATION_START));
  if (computed === fields.bootValidationCrc) return undefined;
  return `boot-validation CRC ${hex8(fields.bootValidationCrc)} does not match its bytes (${hex8(computed)})`;
}

const line = (label: string, value: string) => `${`* ${label}:`.padEnd(28)}${value}\n`;

/** The block nrfutil prints for `settings display` and after `settings generate`. */
export function settingsDisplayText(file: string, family: SettingsFamily, startAddress: number, f: SettingsFields): string {
  return (
    '\nBootloader DFU Settings:\n' +
    line('File', file) +
    line('Family', SETTINGS_FAMILY_LABEL[family]) +
    line('Start Address', hex8(startAddress)) +
    line('CRC', hex8(f.crc)) +
    line('Settings Version', `${hex8(f.version)} (${f.version})`) +
    line('App Version', `${hex8(f.applicationVersion)} (${f.applicationVersion})`) +
    line('Bootloader Version', `${hex8(f.bootloaderVersion)} (${f.bootloaderVersion})`) +
    line('Bank Layout', hex8(f.bankLayout)) +
    line('Current Bank', hex8(f.bankCurrent)) +
    line('Application Size', `${hex8(f.applicationSize)} (${f.applicationSize} bytes)`) +
    line('Application CRC', hex8(f.applicationCrc)) +
    line('Bank0 Bank Code', hex8(f.bankCode)) +
    line('Softdevice Size', `${hex8(f.softdeviceSize)} (${f.softdeviceSize} bytes)`) +
    line('Boot Validation CRC', hex8(f.bootValidationCrc)) +
    line('SD Boot Validation Type', `${hex8(f.sdValidationType)} (${f.sdValidationType})`) +
    line('App Boot Validation Type', `${hex8(f.appValidationType)} (${f.appValidationType})`) +
    '\n'
  );
}
