/**
 * Shared look of the touch-kiosk screens: CSS custom properties for the normal,
 * elder (适老化) and high-contrast modes, and the font-size steps 大/中/小.
 *
 * The values are applied with CSSOM (`style.setProperty`), never an inline
 * `style` attribute, because the app's CSP has no 'unsafe-inline' for styles.
 * Custom properties and `font-size` inherit through shadow roots, so every
 * component sizes itself in `em` and colours itself from these variables.
 */
import { css } from 'lit';

/** 大/中/小. */
export const FONT_SIZES = ['small', 'medium', 'large'] as const;
export type FontSize = (typeof FONT_SIZES)[number];

/** What the theme depends on. */
export interface ThemeSettings {
  fontSize: FontSize;
  elder: boolean;
  highContrast: boolean;
}

/**
 * Root font size in CSS px. Elder mode meets MIIT's app minimums at kiosk
 * scale (body ≥ 18 pt ≈ 24 px, largest ≥ 30 pt ≈ 40 px: headings are 1.5em,
 * so the smallest elder step gives 28 × 1.5 = 42 px).
 */
export const ROOT_FONT_PX: Record<'normal' | 'elder', Record<FontSize, number>> = {
  normal: { small: 20, medium: 24, large: 30 },
  elder: { small: 28, medium: 32, large: 40 },
};

/** Minimum touch target in CSS px (MIIT: ≥ 60 in elder mode, ≥ 44 elsewhere). */
export const TARGET_PX = { normal: 60, elder: 72 } as const;

/** Colour sets; every text/background pair is ≥ 4.5:1 (checked by axe in the tests). */
export const PALETTES = {
  normal: {
    '--gk-bg': '#f4f1ec',
    '--gk-card': '#ffffff',
    '--gk-ink': '#1a1a1a',
    '--gk-muted': '#4a4a4a',
    '--gk-accent': '#b71c1c',
    '--gk-on-accent': '#ffffff',
    '--gk-mark': '#ffe082',
    '--gk-focus': '#0b57d0',
    '--gk-line': '#8a8a8a',
  },
  highContrast: {
    '--gk-bg': '#000000',
    '--gk-card': '#000000',
    '--gk-ink': '#ffffff',
    '--gk-muted': '#ffffff',
    '--gk-accent': '#ffd600',
    '--gk-on-accent': '#000000',
    '--gk-mark': '#ffd600',
    '--gk-focus': '#00e5ff',
    '--gk-line': '#ffffff',
  },
} as const;

/** The custom properties for one combination of settings. */
export function themeVariables(s: ThemeSettings): Record<string, string> {
  const mode = s.elder ? 'elder' : 'normal';
  return {
    ...(s.highContrast ? PALETTES.highContrast : PALETTES.normal),
    '--gk-font-size': `${ROOT_FONT_PX[mode][s.fontSize]}px`,
    '--gk-target': `${TARGET_PX[mode]}px`,
    // MIIT: line spacing ≥ 1.3, paragraph spacing ≥ 1.3 × line spacing.
    '--gk-line-height': s.elder ? '1.6' : '1.5',
    '--gk-para-gap': s.elder ? '2.1em' : '1em',
  };
}

/** Applies the theme to an element (the kiosk host, or a test wrapper). */
export function applyTheme(el: HTMLElement, s: ThemeSettings): void {
  for (const [name, value] of Object.entries(themeVariables(s))) el.style.setProperty(name, value);
  el.style.setProperty('font-size', 'var(--gk-font-size)');
  el.style.setProperty('line-height', 'var(--gk-line-height)');
  el.style.setProperty('color', 'var(--gk-ink)');
  el.style.setProperty('background', 'var(--gk-bg)');
}

/**
 * Rules every kiosk component shares: lockdown (no selection drag, no
 * callout, no pinch zoom: `touch-action`, not `user-scalable=no`), big
 * targets and a visible focus ring.
 */
export const sharedStyles = css`
  :host {
    -webkit-user-select: none;
    user-select: none;
    -webkit-touch-callout: none;
    touch-action: pan-x pan-y;
    color: var(--gk-ink, #1a1a1a);
  }
  button {
    font: inherit;
    min-width: var(--gk-target, 60px);
    min-height: var(--gk-target, 60px);
    padding: 0.3em 0.7em;
    border: 2px solid var(--gk-line, #8a8a8a);
    border-radius: 0.4em;
    background: var(--gk-card, #fff);
    color: var(--gk-ink, #1a1a1a);
    cursor: pointer;
    touch-action: manipulation;
  }
  button[aria-pressed='true'],
  button.primary {
    background: var(--gk-accent, #b71c1c);
    color: var(--gk-on-accent, #fff);
    border-color: var(--gk-accent, #b71c1c);
  }
  :focus-visible {
    outline: 4px solid var(--gk-focus, #0b57d0);
    outline-offset: 3px;
  }
  h1,
  h2,
  h3 {
    line-height: 1.3;
    margin: 0 0 0.5em;
  }
  h1 {
    font-size: 1.5em;
  }
  h2 {
    font-size: 1.25em;
  }
  h3 {
    font-size: 1.1em;
  }
  p {
    margin: 0 0 var(--gk-para-gap, 1em);
  }
  .muted {
    color: var(--gk-muted, #4a4a4a);
  }
  mark {
    background: var(--gk-mark, #ffe082);
    color: #000;
  }
`;
