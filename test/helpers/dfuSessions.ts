import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli';

export const DFU_CORPUS = path.join(ROOT, 'test', 'fixtures', 'conformance-dfu');

export interface RecordedFrame {
  dir: 'host' | 'target';
  slip: string;
  desc: string;
}

export interface RecordedSession {
  name: string;
  package: string;
  command: string[];
  target_mtu: number;
  frames: RecordedFrame[];
  images: { type: string; size: number; verdict: string }[];
}

export function recordedSessions(): RecordedSession[] {
  const dir = path.join(DFU_CORPUS, 'sessions');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/** The value after a flag in a recorded command line. */
export function optionOf(session: RecordedSession, flag: string): string | undefined {
  const i = session.command.indexOf(flag);
  return i >= 0 ? session.command[i + 1] : undefined;
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
