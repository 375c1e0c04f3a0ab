/**
 * The signed alerts file (`alerts.json` + `alerts.sig`) published beside a
 * bundle so an emergency does not wait for a content rebuild. Pure code; the
 * CLI signs the bytes.
 */
import { BUNDLE_FORMAT, BundleError, type AlertsFile } from './bundle.ts';
import { normalizeAlert } from './validate.ts';
import type { Alert } from './types.ts';

/** Serialises an alerts file to the exact bytes to sign. */
export function alertsFileBytes(file: AlertsFile<Alert>): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(file));
}

/** Parses alerts.json bytes (already verified), checking every alert. */
export function parseAlertsFile(bytes: Uint8Array, name = 'alerts.json'): AlertsFile<Alert> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new BundleError(name, 'not valid UTF-8 JSON');
  }
  const r = raw as Partial<AlertsFile<unknown>> | null;
  if (!r || typeof r !== 'object' || r.format !== BUNDLE_FORMAT) {
    throw new BundleError(name, 'not an alerts file of a known format');
  }
  if (typeof r.sequence !== 'number' || !Number.isSafeInteger(r.sequence) || r.sequence < 1) {
    throw new BundleError(name, 'sequence is not a positive integer');
  }
  if (typeof r.bundleId !== 'string' || typeof r.keyId !== 'string') {
    throw new BundleError(name, 'bundleId or keyId is missing');
  }
  if (typeof r.issuedAt !== 'string' || Number.isNaN(Date.parse(r.issuedAt))) {
    throw new BundleError(name, 'issuedAt is not a date');
  }
  if (!Array.isArray(r.alerts)) throw new BundleError(name, 'alerts is not a list');
  const alerts = r.alerts.map((a, i) => {
    const n = normalizeAlert(name, a);
    if (!n.alert) {
      const first = n.errors[0];
      throw new BundleError(
        name,
        `alerts[${i}].${first?.field ?? ''}: ${first?.reason ?? 'invalid'}`,
      );
    }
    return n.alert;
  });
  return {
    format: BUNDLE_FORMAT,
    bundleId: r.bundleId,
    sequence: r.sequence,
    issuedAt: r.issuedAt,
    keyId: r.keyId,
    alerts,
  };
}

/** Alerts in force at `now` (not cancelled, effective ≤ now < expires). */
export function liveAlerts(alerts: readonly Alert[], now: Date): Alert[] {
  const t = now.getTime();
  return alerts.filter(
    (a) => !a.cancelled && Date.parse(a.effective) <= t && t < Date.parse(a.expires),
  );
}
