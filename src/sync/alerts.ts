import { BUNDLE_FORMAT, verifySignature, type AlertsFile } from '../content/bundle.ts';
import type { Store } from '../data/db.ts';
import { SyncError } from './errors.ts';
import { fetchBytes } from './http.ts';
import type { TrustedKeyRef } from './ingest.ts';

const MAX_ALERTS_BYTES = 1_000_000;

/** Result of one alerts check. */
export interface AlertsCheck {
  /** True when a newer alerts file was accepted and stored. */
  changed: boolean;
  sequence: number;
  alerts: unknown[];
  etag: string | null;
}

/**
 * Fetches and verifies the small signed alerts file. The sequence must be
 * strictly greater than the last accepted one, so an old file cannot be
 * replayed to cancel a live alert; an equal sequence is simply "no change".
 */
export async function checkAlerts(
  alertsUrl: string,
  options: {
    store: Store;
    trustedKeys: readonly TrustedKeyRef[];
    bundleId?: string;
    timeoutMs: number;
    etag?: string | null;
    fetchImpl?: typeof fetch;
  },
): Promise<AlertsCheck> {
  const current = await options.store.getMeta('alerts');
  const unchanged = (etag: string | null): AlertsCheck => ({
    changed: false,
    sequence: current?.sequence ?? 0,
    alerts: current?.alerts ?? [],
    etag,
  });
  const file = await fetchBytes(alertsUrl, 'alerts.json', {
    maxBytes: MAX_ALERTS_BYTES,
    timeoutMs: options.timeoutMs,
    etag: options.etag,
    fetchImpl: options.fetchImpl,
  });
  if (file.notModified) return unchanged(file.etag);
  const sig = await fetchBytes(new URL('alerts.sig', alertsUrl).href, 'alerts.sig', {
    maxBytes: 512,
    timeoutMs: options.timeoutMs,
    fetchImpl: options.fetchImpl,
  });
  const learned = (await options.store.getMeta('learnedKeys')) ?? [];
  const keyId = await verifySignature(file.bytes, new TextDecoder().decode(sig.bytes), [
    ...options.trustedKeys,
    ...learned,
  ]);
  if (!keyId) {
    throw new SyncError('signature', '预警信息签名无效，未予采用', 'alerts.json');
  }
  let parsed: AlertsFile;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.bytes)) as AlertsFile;
  } catch {
    throw new SyncError('manifest', '预警信息文件不是有效的 JSON', 'alerts.json');
  }
  if (
    parsed.format !== BUNDLE_FORMAT ||
    typeof parsed.sequence !== 'number' ||
    !Array.isArray(parsed.alerts)
  ) {
    throw new SyncError(
      'manifest',
      '预警信息文件格式错误（format、sequence 或 alerts）',
      'alerts.json',
    );
  }
  if (options.bundleId && parsed.bundleId !== options.bundleId) {
    throw new SyncError('bundle-id', `预警信息的内容包标识不符：${parsed.bundleId}`, 'alerts.json');
  }
  const last = current?.sequence ?? 0;
  if (parsed.sequence === last) return unchanged(file.etag);
  if (parsed.sequence < last) {
    throw new SyncError(
      'rollback',
      `拒绝旧的预警信息：序号 ${parsed.sequence} 低于已采用的 ${last}`,
      'alerts.json',
    );
  }
  const value = { sequence: parsed.sequence, issuedAt: parsed.issuedAt, alerts: parsed.alerts };
  await options.store.setMeta('alerts', value);
  return { changed: true, sequence: value.sequence, alerts: value.alerts, etag: file.etag };
}
