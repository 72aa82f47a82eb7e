import { UsageError } from './errors';
import { sha256 } from './cryptoBackend';
import { crc32 } from './crc32';
import { ValidationType, ValidationTypeValue } from './initPacket';
import { Segment } from './intelHex';
import { toLittleEndianHalves } from './signature';

/**
 * The nRF5 secure bootloader's settings page (nrf_dfu_settings_t) as nrfutil 6.1.7
 * writes it. Offsets are those of the SDK's struct; nrfutil fills only the fields
 * below and leaves the rest 0.
 */
export const SETTINGS_FAMILIES = ['NRF51', 'NRF52', 'NRF52QFAB', 'NRF52810', 'NRF52840'] as const;
export type SettingsFamily = (typeof SETTINGS_FAMILIES)[number];

/** Where each family's bootloader expects the page (the last flash page but the MBR params). */
export const SETTINGS_PAGE_ADDRESS: Record<SettingsFamily, number> = {
  NRF51: 0x3fc00,
  NRF52: 0x7f000,
  NRF52QFAB: 0x3f000,
  NRF52810: 0x2f000,
  NRF52840: 0xff000,
};

/** How nrfutil prints the family (its own names are inconsistent; the output is the contract). */
export const SETTINGS_FAMILY_LABEL: Record<SettingsFamily, string> = {
  NRF51: 'nRF51',
  NRF52: 'nRF52',
  NRF52QFAB: 'nRF52QFAB',
  NRF52810: 'NRF52810',
  NRF52840: 'NRF52840',
};

/** The backup page sits one 4 KiB page below the settings page unless told otherwise. */
export const DEFAULT_BACKUP_OFFSET = 0x1000;

export const Offset = {
  CRC: 0x00,
  SETTINGS_VERSION: 0x04,
  APP_VERSION: 0x08,
  BOOTLOADER_VERSION: 0x0c,
  BANK_LAYOUT: 0x10,
  BANK_CURRENT: 0x14,
  BANK0_IMAGE_SIZE: 0x18,
  BANK0_IMAGE_CRC: 0x1c,
  BANK0_BANK_CODE: 0x20,
  SD_SIZE: 0x34,
  /** v2: CRC of the boot-validation block. */
  BOOT_VALIDATION_CRC: 0x25c,
  SD_VALIDATION_TYPE: 0x260,
  SD_VALIDATION_BYTES: 0x261,
  APP_VALIDATION_TYPE: 0x2a1,
  APP_VALIDATION_BYTES: 0x2a2,
} as const;

/** Version 1 is 92 bytes; the main CRC covers 0x04 up to here in both versions. */
export const V1_LENGTH = 0x5c;
/** Version 2 is 803 bytes; nrfutil pads the hex to a whole word with 0xFF. */
export const V2_LENGTH = 0x323;
/** The boot-validation CRC covers 0x260 up to V2_LENGTH. */
export const BOOT_VALIDATION_START = 0x260;
const VALIDATION_BYTES = 64;
const BANK_CODE_VALID_APP = 1;

export type SettingsVersion = 1 | 2;

export interface SettingsImage {
  bin: Uint8Array;
  validation: ValidationTypeValue;
}

export interface SettingsPageSpec {
  version: SettingsVersion;
  applicationVersion: number;
  bootloaderVersion: number;
  application?: SettingsImage;
  softdevice?: SettingsImage;
}

/** Signs bytes (ECDSA P-256/SHA-256), returns r‖s big-endian: a key provider's sign. */
export type SettingsSigner = (message: Uint8Array) => Promise<Uint8Array>;

/** The 64 boot-validation bytes for one image, as the bootloader checks them. */
async function validationBytes(image: SettingsImage, sign?: SettingsSigner): Promise<Uint8Array> {
  const out = new Uint8Array(VALIDATION_BYTES);
  switch (image.validation) {
    case ValidationType.VALIDATE_GENERATED_CRC:
      new DataView(out.buffer).setUint32(0, crc32(image.bin), true);
      break;
    case ValidationType.VALIDATE_SHA256:
      out.set(sha256(image.bin));
      break;
    case ValidationType.VALIDATE_ECDSA_P256_SHA256:
      if (!sign) throw new Error('ECDSA boot validation needs a signing key');
      out.set(toLittleEndianHalves(await sign(image.bin)));
      break;
  }
  return out;
}

/** The page bytes (92 for version 1, 804 for version 2 including the 0xFF pad). */
export async function buildSettingsPage(spec: SettingsPageSpec, sign?: SettingsSigner): Promise<Uint8Array> {
  const length = spec.version === 1 ? V1_LENGTH : V2_LENGTH;
  const page = new Uint8Array((length + 3) & ~3).fill(0xff);
  page.fill(0, 0, length);
  const view = new DataView(page.buffer);
  const word = (offset: number, value: number) => view.setUint32(offset, value, true);
  const { application, softdevice } = spec;
  word(Offset.SETTINGS_VERSION, spec.version);
  word(Offset.APP_VERSION, spec.applicationVersion);
  word(Offset.BOOTLOADER_VERSION, spec.bootloaderVersion);
  if (application) {
    word(Offset.BANK0_IMAGE_SIZE, application.bin.length);
    word(Offset.BANK0_IMAGE_CRC, crc32(application.bin));
    word(Offset.BANK0_BANK_CODE, BANK_CODE_VALID_APP);
  }
  if (softdevice) word(Offset.SD_SIZE, softdevice.bin.length);
  if (spec.version === 2) {
    if (softdevice) {
      page[Offset.SD_VALIDATION_TYPE] = softdevice.validation;
      page.set(await validationBytes(softdevice, sign), Offset.SD_VALIDATION_BYTES);
    }
    if (application) {
      page[Offset.APP_VALIDATION_TYPE] = application.validation;
      page.set(await validationBytes(application, sign), Offset.APP_VALIDATION_BYTES);
    }
    word(Offset.BOOT_VALIDATION_CRC, crc32(page.subarray(BOOT_VALIDATION_START, V2_LENGTH)));
  }
  word(Offset.CRC, crc32(page.subarray(Offset.SETTINGS_VERSION, V1_LENGTH)));
  return page;
}

const ADDRESS_SPACE = 0x1_0000_0000;
const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;

/**
 * The page at its address and, unless disabled, the same bytes at the backup address.
 * Both must lie inside the 32-bit address space: a page near the top would otherwise
 * wrap to address 0 in the HEX file, and a backup below address 0 wrap to the top.
 */
export function settingsSegments(page: Uint8Array, address: number, backupAddress?: number): Segment[] {
  if (address + page.length > ADDRESS_SPACE)
    throw new UsageError(`Invalid value for '--start-address': ${hex(address)} leaves no room for the ${page.length}-byte settings page below 4 GiB`);
  if (backupAddress !== undefined && (backupAddress < 0 || backupAddress + page.length > ADDRESS_SPACE))
    throw new UsageError(
      `The backup page would start at ${backupAddress < 0 ? `-${hex(-backupAddress)}` : hex(backupAddress)}, outside the address space (it goes ${hex(DEFAULT_BACKUP_OFFSET)} below the settings page): give --backup-address or --no-backup`,
    );
  const segments: Segment[] = [{ address, data: page }];
  if (backupAddress !== undefined) segments.push({ address: backupAddress, data: page });
  return segments.sort((a, b) => a.address - b.address);
}

/** True when a backup page at `backup` would overwrite part of the settings page. */
export function backupOverlapsPage(page: Uint8Array, address: number, backup: number): boolean {
  return backup < address + page.length && address < backup + page.length;
}
