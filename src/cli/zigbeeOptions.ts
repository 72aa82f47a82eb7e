import { UsageError } from '../core/errors';
import { parseNrfInt } from '../core/integers';
import type { ZigbeeUpdateOptions } from '../core/zigbeePackage';
import { MAX_HEADER_COMMENT_BYTES } from '../core/zigbeeOta';

export interface ZigbeeFlags {
  zigbee?: string;
  'zigbee-manufacturer-id'?: string;
  'zigbee-image-type'?: string;
  'zigbee-comment'?: string;
  'zigbee-ota-hw-version'?: string;
  'zigbee-ota-fw-version'?: string;
  'zigbee-ota-min-hw-version'?: string;
  'zigbee-ota-max-hw-version'?: string;
  application?: string;
  bootloader?: string;
  softdevice?: string;
}

// The spellings click's BOOL type accepts, which nrfutil's --zigbee uses.
const TRUE_WORDS = ['1', 'true', 't', 'yes', 'y', 'on'];
const FALSE_WORDS = ['0', 'false', 'f', 'no', 'n', 'off'];

function parseBool(text: string, option: string): boolean {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new UsageError(`Invalid value for '${option}': ${text} is not a valid boolean (use True or False)`);
}

function intOption(text: string | undefined, option: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = parseNrfInt(text, option);
  if (value !== undefined && value > max) throw new UsageError(`Invalid value for '${option}': ${text} does not fit in ${max === 0xffff ? 16 : 32} bits`);
  return value;
}

export interface ValidatedZigbeeOptions {
  options: ZigbeeUpdateOptions;
  warnings: string[];
}

/** undefined when --zigbee is False (the other zigbee options are then ignored, as in nrfutil). */
export function validateZigbeeOptions(flags: ZigbeeFlags): ValidatedZigbeeOptions | undefined {
  if (!parseBool(flags.zigbee ?? 'False', '--zigbee')) return undefined;
  if (!flags.application || flags.bootloader || flags.softdevice)
    throw new UsageError('--zigbee True makes an application update: give --application and no --bootloader or --softdevice.');
  const comment = flags['zigbee-comment'] ?? '';
  // The comment becomes part of the OTA file's name in the current directory.
  if (/[/\\]/.test(comment)) throw new UsageError(`Invalid value for '--zigbee-comment': '${comment}' must not contain / or \\ (it becomes part of a file name)`);
  const minHw = intOption(flags['zigbee-ota-min-hw-version'], '--zigbee-ota-min-hw-version', 0xffff);
  const maxHw = intOption(flags['zigbee-ota-max-hw-version'], '--zigbee-ota-max-hw-version', 0xffff);
  if ((minHw === undefined) !== (maxHw === undefined))
    throw new UsageError('--zigbee-ota-min-hw-version and --zigbee-ota-max-hw-version go together: give both or neither.');
  if (minHw !== undefined && maxHw !== undefined && minHw > maxHw)
    throw new UsageError(`--zigbee-ota-min-hw-version (${minHw}) is above --zigbee-ota-max-hw-version (${maxHw}).`);
  const warnings: string[] = [];
  if (new TextEncoder().encode(comment).length > MAX_HEADER_COMMENT_BYTES)
    warnings.push(`Warning: --zigbee-comment is longer than ${MAX_HEADER_COMMENT_BYTES} bytes; the OTA header keeps the first ${MAX_HEADER_COMMENT_BYTES} (the file name keeps it all).\n`);
  return {
    warnings,
    options: {
      manufacturerId: intOption(flags['zigbee-manufacturer-id'], '--zigbee-manufacturer-id', 0xffff) ?? 0xffff,
      imageType: intOption(flags['zigbee-image-type'], '--zigbee-image-type', 0xffff) ?? 0xffff,
      comment,
      otaFwVersion: intOption(flags['zigbee-ota-fw-version'], '--zigbee-ota-fw-version', 0xffffffff),
      otaHwVersion: intOption(flags['zigbee-ota-hw-version'], '--zigbee-ota-hw-version', 0xffff),
      minHwVersion: minHw,
      maxHwVersion: maxHw,
    },
  };
}
