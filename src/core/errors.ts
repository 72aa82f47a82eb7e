/**
 * The two kinds of failure nrfutil distinguishes by exit code: a usage error (bad or
 * missing option, impossible combination; exit 2, like click) and everything else
 * (unreadable or malformed input; exit 1). Core code throws these; the CLI layer turns
 * them into one `Error: …` line on stderr, and library users tell them apart by `code`.
 */
export class NrfutilError extends Error {
  readonly exitCode: number = 1;
  /** Stable, machine-readable kind of failure (the message is for people). */
  readonly code: string = 'NRFUTIL_INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'NrfutilError';
  }
}

export class UsageError extends NrfutilError {
  override readonly exitCode: number = 2;
  override readonly code: string = 'NRFUTIL_INVALID_OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A failure that ends the whole command, not one device of a batch: a wrong or locked
 * HSM PIN (a real token locks its PIN after a few failed logins, so a batch must not try
 * again for every device).
 */
export class FatalError extends NrfutilError {
  constructor(message: string) {
    super(message);
    this.name = 'FatalError';
  }
}

/** A key that cannot be read or used (not PEM, not P-256, public where a private one is needed). */
export class KeyError extends NrfutilError {
  override readonly code: string = 'NRFUTIL_INVALID_KEY';
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}
