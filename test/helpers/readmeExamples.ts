import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli';

/**
 * The README's library examples, by the file name on their first line
 * (`// library-example.cjs`, `<!-- library-example.html … -->`): the tests run them as
 * written, so the README cannot drift from what works.
 */
export function readmeExample(fileName: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  for (const [, body] of readme.matchAll(/```(?:js|html)\n([\s\S]*?)```/g)) {
    const first = body.split('\n')[0];
    if (first.includes(fileName)) return body;
  }
  throw new Error(`README.md has no example named ${fileName}`);
}

/** The README's ```sh block that contains `marker` (the tests run it, lightly adapted to a sandbox). */
export function readmeShellBlock(marker: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  for (const [, body] of readme.matchAll(/```sh\n([\s\S]*?)```/g)) if (body.includes(marker)) return body;
  throw new Error(`README.md has no sh block with ${marker}`);
}
