import { UsageError } from '../core/errors';

/** `--database` takes a PostgreSQL connection URL; anything else is a usage error. */
export function checkDatabaseUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^postgres(ql)?:$/.test(parsed.protocol))
    throw new UsageError(`Invalid value for '--database': '${redactDatabaseUrl(url)}' is not a PostgreSQL URL (postgres://USER@HOST[:PORT]/DATABASE; the password from PGPASSWORD or ~/.pgpass)`);
}

/**
 * The URL as it may be shown: the password (user-info or `?password=`) becomes ***.
 * Works on text that is not a valid URL too: it is applied to whatever the user typed.
 */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#]*@/i, '$1***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** A message from the driver with every occurrence of the password taken out. */
export function redactMessage(message: string, url: string): string {
  let password: string | undefined;
  try {
    password = decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    password = undefined;
  }
  const withoutUrl = message.split(url).join(redactDatabaseUrl(url));
  return password && password.length >= 1 ? withoutUrl.split(password).join('***') : withoutUrl;
}
