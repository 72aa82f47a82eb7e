import { csvFields, parseDeviceList } from '../core/deviceList';
import { UsageError } from '../core/errors';
import type { Device } from './store';

/**
 * Devices from a device list as the CLI takes it (one id per line, or a CSV with an `id`
 * column), plus the optional `group` and `hw_version` columns the service uses. Ids are
 * checked and duplicates reported by the CLI's own parser; `defaultGroup` applies where
 * the list gives none.
 */
export function parseServiceDevices(text: string, source: string, defaultGroup?: string): { devices: Device[]; duplicates: string[] } {
  const { devices: ids, duplicates } = parseDeviceList(text, source);
  const extra = new Map<string, { group?: string; hwVersion?: number }>();
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'));
  if (lines.length && lines[0].line.includes(',')) {
    const header = csvFields(lines[0].line).map((h) => h.toLowerCase());
    const [idCol, groupCol, hwCol] = ['id', 'group', 'hw_version'].map((c) => header.indexOf(c));
    for (const { line, number } of lines.slice(1)) {
      const fields = csvFields(line);
      const hw = hwCol >= 0 ? fields[hwCol] : '';
      let hwVersion: number | undefined;
      if (hw !== undefined && hw !== '') {
        hwVersion = Number(hw);
        if (!Number.isInteger(hwVersion) || hwVersion < 0 || hwVersion > 0xffffffff) throw new UsageError(`${source} line ${number}: hw_version '${hw}' is not a whole number (0 to 4294967295)`);
      }
      const group = groupCol >= 0 && fields[groupCol] ? fields[groupCol] : undefined;
      if (group !== undefined && !/^[A-Za-z0-9_.:-]{1,64}$/.test(group)) throw new UsageError(`${source} line ${number}: group '${group}' must be letters, digits, '_', '-', '.', ':' (at most 64)`);
      if (!extra.has(fields[idCol])) extra.set(fields[idCol], { group, hwVersion });
    }
  }
  return {
    devices: ids.map((id) => ({ id, group: extra.get(id)?.group ?? defaultGroup ?? null, hwVersion: extra.get(id)?.hwVersion ?? null })),
    duplicates,
  };
}
