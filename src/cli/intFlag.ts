import * as Flags from '@oclif/core/flags';

/** An integer option as nrfutil parses it (the value is checked by core/integers). */
export function intFlag(description: string, required = false) {
  return Flags.string({ description: `${description} (0x… hex, 0… octal, or decimal)`, required });
}
