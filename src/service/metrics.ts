import { Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one server (its own registry, so two servers in one process,
 * as in the tests, do not share counters): requests by route and status, how long
 * signing takes, and signing failures.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'nrfutil_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly signSeconds = new Histogram({
    name: 'nrfutil_sign_seconds',
    help: 'Time to sign and verify a package or init command for a device',
    labelNames: ['kind'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly signFailures = new Counter({ name: 'nrfutil_sign_failures_total', help: 'Signing attempts that failed (key provider or verification)', labelNames: ['kind'], registers: [this.registry] });

  /** Times `work` as a signature of this kind; a throw counts as a failure. */
  async timeSigning<T>(kind: string, work: () => Promise<T>): Promise<T> {
    const end = this.signSeconds.startTimer({ kind });
    try {
      const result = await work();
      end();
      return result;
    } catch (e) {
      this.signFailures.inc({ kind });
      throw e;
    }
  }
}
