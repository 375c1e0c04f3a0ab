import { describe, expect, it } from 'vitest';
import { formatMatrix } from './matrix.ts';
import { engineNames } from './engines.ts';
import type { Row } from './cells.ts';

const row = (over: Partial<Row>): Row => ({
  engine: '66',
  version: 'HeadlessChrome/66.0.3347.0',
  origin: 'localhost',
  check: 'library-reading-room: content',
  ok: true,
  detail: '24 items',
  ...over,
});

describe('the old-engine matrix', () => {
  it('has one line per engine and origin, works / FAIL per check and – where a check does not apply', () => {
    const text = formatMatrix([
      row({}),
      row({ check: 'touch: needs-83 message', ok: false, detail: 'no message naming 83' }),
      row({ engine: '83', version: 'HeadlessChrome/83.0.4103.0', check: 'touch: content' }),
    ]);
    const lines = text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    expect(lines[0]).toBe(
      '| engine | version | origin | reading content | touch ≥83 msg | touch content |',
    );
    expect(lines[1]).toBe('| 66 | HeadlessChrome/66.0.3347.0 | localhost | works | FAIL | – |');
    expect(lines[2]).toBe('| 83 | HeadlessChrome/83.0.4103.0 | localhost | – | – | works |');
  });

  it('lists every failure with its reason, and the notes', () => {
    const text = formatMatrix(
      [row({ origin: 'kiosk.lan', ok: false, detail: 'nothing shown: banner “同步失败”' })],
      ['Chromium 92 not available: npm install failed'],
    );
    expect(text).toContain(
      '## Failures\n\n- 66 kiosk.lan · library-reading-room: content: nothing shown: banner “同步失败”',
    );
    expect(text).toContain('## Notes\n\n- Chromium 92 not available: npm install failed');
  });

  it('reads the engine list from a comma list, falling back when unset or blank', () => {
    expect(engineNames(' 66, 83 ,system@kiosk.lan,', 'x')).toEqual([
      '66',
      '83',
      'system@kiosk.lan',
    ]);
    expect(engineNames(undefined, '66,83')).toEqual(['66', '83']);
    expect(engineNames('  ', '109')).toEqual(['109']);
  });
});
