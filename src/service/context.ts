import type { KeySource } from './keySource';
import type { ServiceStore } from './store';
import type { PackagePlan } from '../core/dfuPackage';
import type { ServiceMetrics } from './metrics';
import type { SignedPackageCache } from './packageCache';

/** What the routes share. */
export interface ServiceContext {
  store: ServiceStore;
  keys: KeySource;
  /** Release plans read once per release (the zip is immutable: content-addressed). */
  plans: Map<string, Promise<PackagePlan>>;
  metrics: ServiceMetrics;
  packages: SignedPackageCache;
}

/** Filled in by the routes as they learn it; written to the audit chain for device routes. */
export interface AuditInfo {
  tokenId: string | null;
  device: string | null;
  release: string | null;
  requestSha256: string | null;
  packageSha256: string | null;
  result: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auditInfo: AuditInfo;
  }
}
