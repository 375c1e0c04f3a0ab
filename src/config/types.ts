/** The kiosk configuration, as described by kiosk-config/schema.json. */
export interface TrustedKey {
  id: string;
  label?: string;
  /** The demo key's private half is public: screens show a 演示 watermark. */
  demo?: boolean;
  jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
}

export interface KioskConfig {
  id: string;
  name: string;
  location: string;
  role: 'touch' | 'reading-room' | 'notice-board';
  orientation: 'landscape' | 'portrait';
  timeZone: string;
  locale: 'zh-Hans' | 'zh-Hant-HK' | 'zh-Hant-TW' | 'en';
  sync: {
    manifestUrl: string;
    alertsUrl?: string;
    bundleId?: string;
    pollSeconds: number;
    alertPollSeconds: number;
    jitterSeconds: number;
    maxBundleBytes: number;
    maxFileBytes: number;
    statusUrl?: string;
  };
  trustedKeys: TrustedKey[];
  display: {
    dwellSeconds: number;
    staleAfterDays: number;
    rotateByDefault: boolean;
    categories?: string[];
    openingHours?: {
      open: string;
      close: string;
      days?: number[];
      outside?: 'dim' | 'closed-card';
    };
  };
  idle: { timeoutSeconds: number };
  admin: { pinSha256?: string };
  pwa: { updateCheckMinutes: number };
}

/** One problem found in a configuration file. */
export interface ConfigProblem {
  file: string;
  field: string;
  problem: string;
}
