import { checkDeviceId } from './deviceId';
import { UsageError } from './errors';

export interface DeviceList {
  devices: string[];
  /** Ids listed more than once (each is built once). */
  duplicates: string[];
}

/** Splits one CSV line; quotes may wrap a field ("a,b"), "" is a quote inside them. */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') fields.push(field.trim()), (field = '');
    else field += ch;
  }
  fields.push(field.trim());
  return fields;
}

/**
 * A device list: one id per line, or a CSV whose header has an `id` column. Blank
 * lines, `#` comments and CRLF line ends are tolerated; duplicates are reported.
 */
export function parseDeviceList(text: string, source: string): DeviceList {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'));
  let ids: { id: string; number: number }[];
  if (lines.length && lines[0].line.includes(',')) {
    const header = csvFields(lines[0].line).map((h) => h.toLowerCase());
    const column = header.indexOf('id');
    if (column < 0) throw new UsageError(`${source}: a CSV device list needs an "id" column (header: ${lines[0].line})`);
    ids = lines.slice(1).map(({ line, number }) => ({ id: csvFields(line)[column] ?? '', number }));
  } else {
    ids = lines.map(({ line, number }) => ({ id: line, number }));
  }
  const seen = new Set<string>();
  const devices: string[] = [];
  const duplicates = new Set<string>();
  for (const { id, number } of ids) {
    checkDeviceId(id, ` in ${source} line ${number}`);
    if (seen.has(id)) {
      duplicates.add(id);
      continue;
    }
    seen.add(id);
    devices.push(id);
  }
  if (devices.length === 0) throw new UsageError(`${source} lists no devices`);
  return { devices, duplicates: [...duplicates] };
}
