import { NrfutilError, UsageError } from './errors';

/**
 * nrfutil's integer options follow Python's int(x, 0) with one twist: a leading `0`
 * means octal (`010` is 8), as the click type of nrfutil 6.1.7 does. `none` (any case)
 * means "not given". Returns undefined for `none`.
 */
export function parseNrfInt(text: string, option: string): number | undefined {
  const value = text.trim();
  if (value.toLowerCase() === 'none') return undefined;
  let parsed: number;
  if (/^0x[0-9a-f]+$/i.test(value)) parsed = parseInt(value.slice(2), 16);
  else if (/^0[0-7]+$/.test(value)) parsed = parseInt(value.slice(1), 8);
  else if (/^(0|[1-9][0-9]*)$/.test(value)) parsed = parseInt(value, 10);
  else throw new UsageError(`Invalid value for '${option}': ${text} is not a valid integer`);
  if (!Number.isSafeInteger(parsed)) throw new UsageError(`Invalid value for '${option}': ${text} is too large`);
  return parsed;
}

/** An integer that must fit the init packet's and settings page's uint32 fields. */
export function parseUint32(text: string, option: string): number | undefined {
  const value = parseNrfInt(text, option);
  if (value !== undefined && value > 0xffffffff)
    throw new UsageError(`Invalid value for '${option}': ${text} does not fit in 32 bits`);
  return value;
}

/**
 * `--sd-req 0xCA,0x100`: one comma-separated list of integers. Only the whole value
 * `none` (exactly, lower case) means "not given" (undefined), as in nrfutil; `NONE`
 * or a `none` element is not an integer. nrfutil parses these lists after its option
 * checks and fails with an exception (exit 1), not a usage error.
 */
export function parseIntList(text: string, option: string): number[] | undefined {
  if (text === 'none') return undefined;
  return text.split(',').map((part) => {
    const notInteger = () => new NrfutilError(`Invalid value for '${option}': ${part} is not a valid integer`);
    if (part.trim().toLowerCase() === 'none') throw notInteger();
    try {
      return parseUint32(part, option)!;
    } catch (e) {
      if (e instanceof UsageError) throw new NrfutilError(e.message);
      throw e;
    }
  });
}

/** `x.y.z` → x*10000 + y*100 + z, the packing nrfutil uses for version strings. */
export function parseVersionString(text: string, option = 'application-version-string'): number {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`Invalid value for ${option}: Must be on the format x.y.z`);
  const value = Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  if (value > 0xffffffff) throw new UsageError(`Invalid value for ${option}: ${text} does not fit in 32 bits`);
  return value;
}
