import { fromHex, toHex } from './bytes';
import { NrfutilError } from './errors';

/** Bytes at absolute addresses, as an Intel HEX file describes them. */
export type Memory = Map<number, number>;

/** A contiguous run of bytes starting at an absolute address. */
export interface Segment {
  address: number;
  data: Uint8Array;
}

/**
 * Parses Intel HEX text into contiguous segments, sorted by address. As strict as
 * nrfutil's reader (python intelhex) where a file is corrupt or hand-edited: data
 * written twice to one address, an 02/04 record with a non-zero address field, an EOF
 * record with data, a start-address record that is not 4 bytes at address 0, or two of
 * them are errors. Stricter in one way: the EOF record is required (a truncated file
 * must not become a package). Lines end in LF, CRLF or CR. `source` names the file in
 * error messages.
 */
export function parseIntelHex(text: string, source: string): Segment[] {
  const memory = new Map<number, number>();
  let upper = 0; // from type 02 (segment << 4) or type 04 (linear << 16) records
  let sawEof = false;
  let sawStart = false;
  const lines = text.split(/\r\n|\r|\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    const where = `${source} line ${n + 1}`;
    if (sawEof) break; // like IntelHex, anything after the EOF record is ignored
    if (line[0] !== ':') throw new NrfutilError(`${where}: not an Intel HEX record (must start with ':'); is this a .hex file?`);
    const hex = line.slice(1);
    if (hex.length < 10 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex))
      throw new NrfutilError(`${where}: truncated or malformed record`);
    const bytes = fromHex(hex);
    const count = bytes[0];
    if (bytes.length !== count + 5) throw new NrfutilError(`${where}: truncated record (length ${count} but ${bytes.length - 5} data bytes)`);
    let sum = 0;
    for (const b of bytes) sum = (sum + b) & 0xff;
    if (sum !== 0) throw new NrfutilError(`${where}: bad checksum`);
    const offset = (bytes[1] << 8) | bytes[2];
    const type = bytes[3];
    const data = bytes.subarray(4, 4 + count);
    const hex8 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;
    switch (type) {
      case 0x00:
        for (let i = 0; i < count; i++) {
          const address = upper + offset + i;
          if (memory.has(address)) throw new NrfutilError(`${where}: data overlap at address ${hex8(address)} (written twice); the file is corrupt`);
          memory.set(address, data[i]);
        }
        break;
      case 0x01:
        if (count !== 0) throw new NrfutilError(`${where}: end-of-file record carries data; the file is corrupt`);
        sawEof = true;
        break;
      case 0x02:
        if (count !== 2 || offset !== 0) throw new NrfutilError(`${where}: extended segment address record must have 2 data bytes and address 0000`);
        upper = ((data[0] << 8) | data[1]) * 16;
        break;
      case 0x04:
        if (count !== 2 || offset !== 0) throw new NrfutilError(`${where}: extended linear address record must have 2 data bytes and address 0000`);
        upper = ((data[0] << 8) | data[1]) * 0x10000;
        break;
      case 0x03:
      case 0x05:
        // a start address is irrelevant to the image, but a malformed one means a damaged file
        if (count !== 4 || offset !== 0) throw new NrfutilError(`${where}: start address record must have 4 data bytes and address 0000`);
        if (sawStart) throw new NrfutilError(`${where}: a second start address record; the file is corrupt`);
        sawStart = true;
        break;
      default:
        throw new NrfutilError(`${where}: unknown record type 0x${type.toString(16).padStart(2, '0')}`);
    }
  }
  if (!sawEof) throw new NrfutilError(`${source}: no end-of-file record (:00000001FF); the file is truncated`);
  return memoryToSegments(memory);
}

export function memoryToSegments(memory: Memory): Segment[] {
  const addresses = [...memory.keys()].sort((a, b) => a - b);
  const segments: Segment[] = [];
  let start = 0;
  while (start < addresses.length) {
    let end = start;
    while (end + 1 < addresses.length && addresses[end + 1] === addresses[end] + 1) end++;
    const data = new Uint8Array(end - start + 1);
    for (let i = start; i <= end; i++) data[i - start] = memory.get(addresses[i])!;
    segments.push({ address: addresses[start], data });
    start = end + 1;
  }
  return segments;
}

function record(type: number, offset: number, data: Uint8Array): string {
  const bytes = [data.length, (offset >> 8) & 0xff, offset & 0xff, type, ...data];
  const sum = bytes.reduce((a, b) => (a + b) & 0xff, 0);
  bytes.push((0x100 - sum) & 0xff);
  return ':' + toHex(Uint8Array.from(bytes)).toUpperCase();
}

/**
 * Writes segments as Intel HEX the way python intelhex (nrfutil's writer) lays them
 * out: each run of contiguous bytes in records of up to 16 bytes starting at the run's
 * first address (not aligned to 16-byte rows), a record never crossing a 64 KiB
 * boundary; type-04 records only when some address is above 0xFFFF (then one first and
 * one at each new upper half-word); uppercase; `:00000001FF` last.
 */
export function writeIntelHex(segments: Segment[]): string {
  const memory: Memory = new Map();
  for (const { address, data } of segments) data.forEach((b, i) => memory.set(address + i, b));
  const runs = memoryToSegments(memory);
  const lines: string[] = [];
  const maxAddress = runs.length ? runs[runs.length - 1].address + runs[runs.length - 1].data.length - 1 : 0;
  const needUpper = maxAddress > 0xffff;
  let upper = -1;
  for (const { address, data } of runs) {
    let i = 0;
    while (i < data.length) {
      const addr = address + i;
      const hi = Math.floor(addr / 0x10000);
      if (needUpper && hi !== upper) {
        lines.push(record(0x04, 0, Uint8Array.of((hi >> 8) & 0xff, hi & 0xff)));
        upper = hi;
      }
      const end = Math.min(data.length, i + 16, i + (0x10000 - (addr % 0x10000)));
      lines.push(record(0x00, addr & 0xffff, data.subarray(i, end)));
      i = end;
    }
  }
  lines.push(':00000001FF');
  return lines.join('\n') + '\n';
}
