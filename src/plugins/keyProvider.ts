import type { PublicKeyXY, SignatureRS } from '../core/signature';

/**
 * Where a signing key lives. Everything that signs (init packets, ECDSA boot
 * validation in packages and settings pages) goes through this interface; nothing
 * else touches private key material. Byte forms are the plain big-endian ones; the
 * little-endian halves the nRF5 bootloader wants are core's business.
 */
export interface KeyProvider {
  /** Human-readable name of the key for messages: a path or a URI without secrets. */
  readonly label: string;
  /** Public key, x‖y (64 bytes). */
  publicKey(): Promise<PublicKeyXY>;
  /** ECDSA P-256 over SHA-256(message); r‖s (64 bytes). Absent for public-only keys. */
  sign?(message: Uint8Array): Promise<SignatureRS>;
  /**
   * The private key as SEC1 PEM, only for providers that hold it in software
   * (`keys display --key sk`). HSM providers leave this out: their keys never leave.
   */
  exportPrivateKeyPem?(): Promise<string>;
  /** Releases sessions or handles (HSM logins). */
  close?(): Promise<void>;
}

/** What a command knows about the key the user named. */
export interface KeyReference {
  /** `--key-file` value: a path or a `pkcs11:` URI. */
  keyFile?: string;
  /** `--key-dir` + `--device`: one key per device in a directory. */
  keyDir?: string;
  device?: string;
}

/** Settings from the config file and environment that providers may use. */
export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  config: Record<string, unknown>;
  /** Asks the user for a secret on the TTY; undefined when there is no TTY. */
  promptSecret?: (question: string) => Promise<string>;
  /** Warnings for the user (stderr). */
  warn: (message: string) => void;
}

/**
 * A provider family: recognises the references it serves and opens them. Third-party
 * npm packages export one of these (see README, "Writing a key provider").
 */
export interface KeyProviderFactory {
  readonly name: string;
  /** True when this factory serves the reference (checked in registration order). */
  accepts(ref: KeyReference): boolean;
  open(ref: KeyReference, ctx: ProviderContext): Promise<KeyProvider>;
  /** Creates a new key at the reference; returns a provider for it. */
  generate?(ref: KeyReference, ctx: ProviderContext): Promise<KeyProvider>;
}

/** A provider that can sign (narrowing helper for callers that need signatures). */
export type SigningKeyProvider = KeyProvider & { sign(message: Uint8Array): Promise<SignatureRS> };
