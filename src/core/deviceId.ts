import { UsageError } from './errors';
import { safeText } from './safeText';

/** Device ids become file names: a safe alphabet, no paths, no dotfiles. */
const DEVICE_ID = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/;

export function checkDeviceId(id: string, where = ''): string {
  if (!DEVICE_ID.test(id) || id.includes('..'))
    throw new UsageError(`Invalid device id '${safeText(id)}'${where}: use letters, digits, '_', '-', '.', ':' (no path separators)`);
  return id;
}

/** `{device}` in a name or key template → the id. */
export function expandDeviceTemplate(template: string, device: string): string {
  return template.split('{device}').join(device);
}
