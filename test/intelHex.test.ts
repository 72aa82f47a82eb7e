import { parseIntelHex, writeIntelHex } from '../src/core/intelHex';
import { NrfutilError } from '../src/core/errors';

const EOF_RECORD = ':00000001FF';

describe('parseIntelHex', () => {
  test('reads data records under extended linear and segment addresses', () => {
    const text = [':020000040001F9', ':0400100001020304E2', ':020000021000EC', ':02000000AABB99', EOF_RECORD].join('\n');
    const segments = parseIntelHex(text, 'fw.hex');
    expect(segments).toEqual([
      { address: 0x10000, data: Uint8Array.of(0xaa, 0xbb) },
      { address: 0x10010, data: Uint8Array.of(1, 2, 3, 4) },
    ]);
  });

  test('joins adjacent records into one segment and accepts CRLF', () => {
    const segments = parseIntelHex(':0100000011EE\r\n:0100010022DC\r\n:00000001FF\r\n', 'x.hex');
    expect(segments).toEqual([{ address: 0, data: Uint8Array.of(0x11, 0x22) }]);
  });

  test.each([
    ['bad checksum', ':0100000011EF\n' + EOF_RECORD, /line 1: bad checksum/],
    ['unknown record type', ':0100000611E8\n' + EOF_RECORD, /line 1: unknown record type 0x06/],
    ['truncated line', ':10000000AABB\n' + EOF_RECORD, /line 1: truncated/],
    ['no EOF record', ':0100000011EE\n', /no end-of-file record/],
    ['not a hex file', 'hello\n', /line 1: not an Intel HEX record/],
  ])('rejects %s with the file and line', (_what, text, message) => {
    expect(() => parseIntelHex(text, 'bad.hex')).toThrow(NrfutilError);
    expect(() => parseIntelHex(text, 'bad.hex')).toThrow(message);
    expect(() => parseIntelHex(text, 'bad.hex')).toThrow(/bad\.hex/);
  });
});

describe('writeIntelHex', () => {
  test('writes 16-byte records, type-04 records at 64 KiB boundaries, and the EOF record', () => {
    const data = new Uint8Array(40).map((_, i) => i);
    const text = writeIntelHex([{ address: 0xfff8, data }]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(':020000040000FA');
    expect(lines[1]).toMatch(/^:08FFF800/); // up to the row boundary
    expect(lines[2]).toBe(':020000040001F9');
    expect(lines[3]).toMatch(/^:10000000/);
    expect(lines[lines.length - 1]).toBe(EOF_RECORD);
    expect(text).toBe(text.toUpperCase());
  });

  test('round-trips through the parser', () => {
    const data = new Uint8Array(100).map((_, i) => (i * 7) & 0xff);
    expect(parseIntelHex(writeIntelHex([{ address: 0x7f000, data }]), 'r.hex')).toEqual([{ address: 0x7f000, data }]);
  });
});
