import schema from '../../kiosk-config/schema.json';

/**
 * The kiosk's default size limits, read from kiosk-config/schema.json so the
 * kiosk (src/config/validate.ts) and the admin CLI (which refuses to build a
 * bundle kiosks would refuse) share one source.
 */
export const SYNC_LIMIT_DEFAULTS = {
  maxBundleBytes: schema.properties.sync.properties.maxBundleBytes.default,
  maxFileBytes: schema.properties.sync.properties.maxFileBytes.default,
} as const;
