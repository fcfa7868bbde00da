import type { AppConfig } from './environment.js';

/** A setting that weakens a protection, and what it exposes. */
export interface UnsafeSetting {
  /** The variable as the operator wrote it, e.g. `METRICS_PUBLIC=true`. */
  readonly setting: string;
  /** What it exposes, in a sentence for the start-up log. */
  readonly risk: string;
}

/**
 * The explicit opt-ins out of a safe default that this configuration makes.
 * The safe behaviour never depends on NODE_ENV; each of these is refused or
 * off unless set, and is logged as a warning at every start so that a trial
 * setting left in production is noticed.
 */
export function unsafeSettings(config: AppConfig): UnsafeSetting[] {
  const unsafe: UnsafeSetting[] = [];
  if (config.metricsPublic && config.metricsToken === undefined) {
    unsafe.push({
      setting: 'METRICS_PUBLIC=true',
      risk: 'GET /metrics is served to anyone without a token: it shows how busy the service is and how many people are in crisis',
    });
  }
  if (config.botframework?.allowUnauthenticated) {
    unsafe.push({
      setting: 'BOTFRAMEWORK_ALLOW_UNAUTHENTICATED=true',
      risk:
        'POST /api/messages accepts activities from anyone, as any Bot Framework user (only with a serviceUrl on this machine): ' +
        'for the Bot Framework Emulator and local trials, never for a reachable service',
    });
  }
  return unsafe;
}
