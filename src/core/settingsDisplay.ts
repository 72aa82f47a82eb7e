import { crc32 } from './crc32';
import { NrfutilError, UsageError } from './errors';
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

class BadAccess extends Error {}

const hex8 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;

function byteAt(segments: Segment[], address: number): number | undefined {
  for (const { address: base, data } of segments) if (address >= base && address < base + data.length) return data[address - base];
  return undefined;
}

function bytesAt(segments: Segment[], address: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const b = byteAt(segments, address + i);
    if (b === undefined) throw new BadAccess(`Bad access at 0x${address.toString(16).toUpperCase()}: not enough data to read ${length} contiguous bytes`);
    out[i] = b;
  }
  return out;
}

function wordAt(segments: Segment[], address: number): number {
  const b = bytesAt(segments, address, 4);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

export function readSettingsFields(segments: Segment[], base: number): SettingsFields {
  const word = (offset: number) => wordAt(segments, base + offset);
  const crc = word(Offset.CRC); // first: the probe's failure names the page address
  const version = word(Offset.SETTINGS_VERSION);
  const v2 = version >= 2;
  return {
    crc,
    version,
    applicationVersion: word(Offset.APP_VERSION),
    bootloaderVersion: word(Offset.BOOTLOADER_VERSION),
    bankLayout: word(Offset.BANK_LAYOUT),
    bankCurrent: word(Offset.BANK_CURRENT),
    applicationSize: word(Offset.BANK0_IMAGE_SIZE),
    applicationCrc: word(Offset.BANK0_IMAGE_CRC),
    bankCode: word(Offset.BANK0_BANK_CODE),
    softdeviceSize: word(Offset.SD_SIZE),
    bootValidationCrc: v2 ? word(Offset.BOOT_VALIDATION_CRC) : 0,
    sdValidationType: v2 ? bytesAt(segments, base + Offset.SD_VALIDATION_TYPE, 1)[0] : 0,
    appValidationType: v2 ? bytesAt(segments, base + Offset.APP_VALIDATION_TYPE, 1)[0] : 0,
  };
}

/**
 * Finds the settings page the way nrfutil 6.1.7 does: tries each family's address
 * in order. Its probe of the nRF51 address fails quietly, the nRF52 one says why on
 * stdout (`onNote`), the others are quiet; when all fail, the last reason is the error.
 * nrfutil exits 2 then (a recorded case), so that stays a usage error.
 */
export function findSettings(segments: Segment[], source: string, onNote: (text: string) => void): SettingsView {
  let lastFailure = '';
  for (const family of SETTINGS_FAMILIES) {
    const base = SETTINGS_PAGE_ADDRESS[family];
    try {
      const fields = readSettingsFields(segments, base);
      checkCrcs(segments, base, fields, source);
      const startAddress = Math.min(...segments.map((s) => s.address));
      return { family, startAddress, fields };
    } catch (e) {
      if (!(e instanceof BadAccess)) throw e;
      lastFailure = e.message;
      if (family === 'NRF52') onNote(`${e.message}\n`);
    }
  }
  throw new UsageError(`Failed to parse .hex file: ${lastFailure} (${source} holds no bootloader settings page at any family's address)`);
}

/** A page whose CRCs do not match its bytes would be rejected by the bootloader. */
function checkCrcs(segments: Segment[], base: number, fields: SettingsFields, source: string): void {
  const main = crc32(bytesAt(segments, base + Offset.SETTINGS_VERSION, V1_LENGTH - Offset.SETTINGS_VERSION));
  if (main !== fields.crc)
    throw new NrfutilError(`${source}: settings page at ${hex8(base)} has CRC ${hex8(fields.crc)} but its bytes give ${hex8(main)}; the page is corrupt`);
  if (fields.version >= 2) {
    const bv = crc32(bytesAt(segments, base + BOOT_VALIDATION_START, V2_LENGTH - BOOT_VALIDATION_START));
    if (bv !== fields.bootValidationCrc)
      throw new NrfutilError(`${source}: settings page at ${hex8(base)} has boot-validation CRC ${hex8(fields.bootValidationCrc)} but its bytes give ${hex8(bv)}; the page is corrupt`);
  }
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
