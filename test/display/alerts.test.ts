import { describe, expect, it } from 'vitest';
import { activeAlerts, alertDwellMs, nextAlertChange } from '../../src/display/alerts.ts';
import { alert, shanghai } from './fixtures.ts';

describe('activeAlerts', () => {
  const a = [
    alert({ id: 'blue', severity: 'blue' }),
    alert({ id: 'red', severity: 'red' }),
    alert({ id: 'yellow', severity: 'yellow' }),
    alert({ id: 'orange', severity: 'orange' }),
    alert({ id: 'cancelled', severity: 'red', cancelled: true }),
    alert({ id: 'later', severity: 'red', effective: '2025-10-10T13:00:00+08:00' }),
  ];
  it('orders alerts in force by severity and leaves out cancelled and future ones', () => {
    expect(activeAlerts(a, shanghai('2025-10-10', '12:00')).map((x) => x.id)).toEqual([
      'red',
      'orange',
      'yellow',
      'blue',
    ]);
  });
  it('drops alerts at their expiry instant', () => {
    const t = Date.parse('2025-10-10T20:00:00+08:00');
    expect(activeAlerts(a, t - 1)).toHaveLength(5);
    expect(activeAlerts(a, t)).toHaveLength(0);
  });
  it('ignores alerts with unparseable times rather than showing them forever', () => {
    expect(activeAlerts([alert({ expires: 'soon' })], shanghai('2025-10-10'))).toEqual([]);
  });
  it('finds the next moment the set changes', () => {
    expect(nextAlertChange(a, shanghai('2025-10-10', '12:00'))).toBe(
      Date.parse('2025-10-10T13:00:00+08:00'),
    );
    expect(nextAlertChange(a, shanghai('2025-10-11'))).toBe(Infinity);
  });
  it('keeps red alerts up longer', () => {
    expect(alertDwellMs(alert({ severity: 'red' }))).toBeGreaterThan(
      alertDwellMs(alert({ severity: 'blue' })),
    );
  });
});
