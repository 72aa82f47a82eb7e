import fs from 'node:fs';
import { NrfutilError } from '../core/errors';

/**
 * nrfutil's global options come before the command (`nrfutil -v -o log.txt pkg …`),
 * a shape oclif does not parse. bin/run.js strips them here and commands read the
 * result through `log`.
 */
export interface GlobalOptions {
  verbosity: number;
  logFile?: string;
}

export const globalOptions: GlobalOptions = { verbosity: 0 };

/** The newer Nordic tool's spelling: `nrfutil nrf5sdk-tools pkg generate …`. */
const NRF5SDK_TOOLS = 'nrf5sdk-tools';

export class GlobalUsageError extends Error {}

/** Removes leading global options (and the nrf5sdk-tools prefix) from argv. */
export function stripGlobalOptions(argv: string[]): string[] {
  const rest = [...argv];
  while (rest.length > 0) {
    const a = rest[0];
    if (a === '-v' || a === '--verbose') {
      globalOptions.verbosity++;
      rest.shift();
    } else if (/^-v+$/.test(a)) {
      globalOptions.verbosity += a.length - 1;
      rest.shift();
    } else if (a === '-o' || a === '--output') {
      if (rest.length < 2) throw new GlobalUsageError(`Option '${a}' requires an argument (a log file path).`);
      globalOptions.logFile = rest[1];
      rest.splice(0, 2);
    } else if (a.startsWith('--output=')) {
      globalOptions.logFile = a.slice('--output='.length);
      rest.shift();
    } else if (a === NRF5SDK_TOOLS) {
      rest.shift();
    } else break;
  }
  if (globalOptions.logFile !== undefined) openLogFile(globalOptions.logFile);
  return rest;
}

/** Like Python's logging.FileHandler: the file is created (appended to) at start-up. */
function openLogFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'a'));
  } catch (e) {
    throw new NrfutilError(`Cannot open the log file ${file} given to -o/--output (${(e as NodeJS.ErrnoException).code}); check that its directory exists`);
  }
}

/** Python's logging levels, as nrfutil maps -v to them. */
export const LogLevel = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 } as const;

/** nrfutil: no -v → ERROR, -v → WARNING, -vv → INFO, -vvv and more → DEBUG. */
function threshold(verbosity: number): number {
  return [LogLevel.ERROR, LogLevel.WARNING, LogLevel.INFO][verbosity] ?? LogLevel.DEBUG;
}

/** logging's '%(asctime)s': local `YYYY-MM-DD HH:MM:SS,mmm`. */
function asctime(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())},${p(now.getMilliseconds(), 3)}`;
}

/**
 * A log record as nrfutil writes it ('%(asctime)s %(message)s'): on stderr and, with
 * -o FILE, appended to FILE, when -v raised the level far enough. Never pass secrets.
 */
export function log(message: string, level: number = LogLevel.INFO): void {
  if (level < threshold(globalOptions.verbosity)) return;
  const line = `${asctime(new Date())} ${message}\n`;
  process.stderr.write(line);
  if (globalOptions.logFile) fs.appendFileSync(globalOptions.logFile, line);
}
