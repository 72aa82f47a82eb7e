/**
 * Text from a file or the command line as it may be shown in a message: control
 * characters (terminal escape codes among them) written as \xNN or \uNNNN, and cut to
 * `max` characters, so a hostile or corrupted value cannot drive the terminal or flood it.
 */
export function safeText(text: string, max = 80): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return escaped.length > max ? `${escaped.slice(0, max)}… (${text.length} characters)` : escaped;
}

/**
 * Secrets that may ride inside text a user typed: a PKCS#11 URI's `pin-value` (any case,
 * with `=` or a mistyped `:`), or a bare `pin=`/`passphrase=`. Their values become ***.
 * Applied to every message, warning and JSON report the CLI prints.
 */
const SECRET_VALUE = /((?:pin-value|pin|passphrase|password)\s*[=:]\s*)[^&;\s'"]*/gi;
/** The password of a URL's user-info (`postgres://user:PASSWORD@host/db`, serve --database). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*:)[^\s/?#'"]*@/gi;

export function redactSecrets(text: string): string {
  // Both patterns need a '=' or ':'; most lines have neither (and the first use of a
  // case-insensitive pattern costs its compilation, ~1 ms at start-up).
  if (!text.includes('=') && !text.includes(':')) return text;
  return text.replace(URL_PASSWORD, '$1***@').replace(SECRET_VALUE, '$1***');
}
