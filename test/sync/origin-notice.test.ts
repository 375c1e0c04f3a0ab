// The standing notice of a kiosk served over plain http (issue #17).
import { describe, expect, it } from 'vitest';
import { INSECURE_ORIGIN_NOTICE, originNotice } from '../../src/sync/status.ts';

describe('originNotice', () => {
  it('says exactly the agreed line on an insecure origin, nothing on a secure one', () => {
    expect(originNotice({ isSecureContext: false })).toBe(
      '此终端以 http 方式访问：断网后重启无法离线启动，请改用 https 或本机地址',
    );
    expect(originNotice({ isSecureContext: false })).toBe(INSECURE_ORIGIN_NOTICE);
    expect(originNotice({ isSecureContext: true })).toBeNull();
  });
});
