/**
 * 预警信息: which alerts take over the screens now, in which order.
 */
import type { Alert } from './types.ts';

/** Rank of each severity: red (most severe) first. */
export const SEVERITY_RANK = { red: 0, orange: 1, yellow: 2, blue: 3 } as const;

/** Chinese names of the warning-signal colours. */
export const SEVERITY_LABEL = {
  red: '红色预警',
  orange: '橙色预警',
  yellow: '黄色预警',
  blue: '蓝色预警',
} as const;

/**
 * Alerts in force at `now` (effective ≤ now < expires, not cancelled), most
 * severe first, then the most recently effective. An alert with an
 * unparseable time is left out rather than shown forever.
 */
export function activeAlerts(alerts: readonly Alert[], now: number): Alert[] {
  return alerts
    .filter((a) => {
      const from = Date.parse(a.effective);
      const until = Date.parse(a.expires);
      return !a.cancelled && from <= now && now < until;
    })
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        Date.parse(b.effective) - Date.parse(a.effective) ||
        a.id.localeCompare(b.id),
    );
}

/**
 * The next instant at which the set of active alerts changes (an alert
 * becomes effective or expires), or Infinity. Lets the display re-check
 * exactly then instead of polling.
 */
export function nextAlertChange(alerts: readonly Alert[], now: number): number {
  let next = Infinity;
  for (const a of alerts) {
    if (a.cancelled) continue;
    for (const t of [Date.parse(a.effective), Date.parse(a.expires)])
      if (t > now && t < next) next = t;
  }
  return next;
}

/** How long each of several alerts stays before the next, by severity. */
export function alertDwellMs(alert: Alert): number {
  return alert.severity === 'red' ? 20_000 : 12_000;
}
