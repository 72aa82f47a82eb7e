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
 * Parses Intel HEX text into contiguous segments (sorted by address, overlapping
 * writes: the last one wins). `source` names the file in error messages.
 */
export function parseIntelHex(text: string, source: string): Segment[] {
  const memory = new Map<number, number>();
  let upper = 0; // from type 02 (segment << 4) or type 04 (linear << 16) records
  let sawEof = false;
  const lines = text.split(/\r?\n/);
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
    switch (type) {
      case 0x00:
        for (let i = 0; i < count; i++) memory.set(upper + offset + i, data[i]);
        break;
      case 0x01:
        sawEof = true;
        break;
      case 0x02:
        if (count !== 2) throw new NrfutilError(`${where}: extended segment address record must have 2 data bytes`);
        upper = ((data[0] << 8) | data[1]) * 16;
        break;
      case 0x04:
        if (count !== 2) throw new NrfutilError(`${where}: extended linear address record must have 2 data bytes`);
        upper = ((data[0] << 8) | data[1]) * 0x10000;
        break;
      case 0x03:
      case 0x05:
        break; // start address: irrelevant to the image
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
 * Writes segments as Intel HEX the way nrfutil's IntelHex does: 16 data bytes a
 * record, a type-04 record whenever the upper 16 address bits change, `:00000001FF` last.
 */
export function writeIntelHex(segments: Segment[]): string {
  const lines: string[] = [];
  let upper = -1;
  for (const { address, data } of [...segments].sort((a, b) => a.address - b.address)) {
    let i = 0;
    while (i < data.length) {
      const addr = address + i;
      const hi = Math.floor(addr / 0x10000);
      if (hi !== upper) {
        lines.push(record(0x04, 0, Uint8Array.of((hi >> 8) & 0xff, hi & 0xff)));
        upper = hi;
      }
      // a record never crosses a 64 KiB boundary nor a 16-byte row boundary
      const rowEnd = Math.min(data.length, i + 16 - (addr % 16), i + (0x10000 - (addr % 0x10000)));
      lines.push(record(0x00, addr & 0xffff, data.subarray(i, rowEnd)));
      i = rowEnd;
    }
  }
  lines.push(':00000001FF');
  return lines.join('\n') + '\n';
}
