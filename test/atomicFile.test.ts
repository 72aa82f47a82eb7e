import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomicAsync } from '../src/node/atomicFile';

describe('writeFileAtomicAsync', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-ts-atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes the chunks in order, with the mode asked for, and leaves no temporary file', async () => {
    const target = path.join(dir, 'a.zip');
    const chunks = [Buffer.from('head'), new Uint8Array(0), Buffer.alloc(300 * 1024, 7), Buffer.from('tail')];
    await writeFileAtomicAsync(target, chunks, 0o600);
    expect(fs.readFileSync(target)).toEqual(Buffer.concat(chunks));
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['a.zip']);
  });

  test('replaces an existing file whole', async () => {
    const target = path.join(dir, 'a.zip');
    fs.writeFileSync(target, 'old contents that are longer');
    await writeFileAtomicAsync(target, [Buffer.from('new')]);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
  });

  test('a missing directory is one clear error and nothing is written', async () => {
    const target = path.join(dir, 'missing', 'a.zip');
    await expect(writeFileAtomicAsync(target, [Buffer.from('x')])).rejects.toThrow(/a\.zip: directory .*missing does not exist; create it first/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a target that cannot be replaced leaves no temporary file behind', async () => {
    fs.mkdirSync(path.join(dir, 'a.zip')); // a directory where the file should go
    await expect(writeFileAtomicAsync(path.join(dir, 'a.zip'), [Buffer.from('x')])).rejects.toThrow(/Cannot write .*a\.zip: it is a directory; give a file name/);
    expect(fs.readdirSync(dir)).toEqual(['a.zip']);
  });
});
