import fs from 'node:fs';

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
  return rest;
}

/** Verbose logging: to the -o file when given, else stderr; silent unless -v. */
export function log(message: string, level = 1): void {
  if (globalOptions.verbosity < level) return;
  const line = `${new Date().toISOString()} ${message}\n`;
  if (globalOptions.logFile) fs.appendFileSync(globalOptions.logFile, line);
  else process.stderr.write(line);
}
