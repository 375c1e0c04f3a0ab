import { ReactiveElement, type CSSResultOrNative } from 'lit';

/**
 * Lit styles on engines without constructable style sheets (Chromium < 73).
 *
 * Why: there Lit falls back to `<style>` elements with text, which the app's
 * CSP (`style-src 'self'`) refuses, so every component would render unstyled.
 * Instead each shadow root gets *empty* `<style>` elements — the CSP allows
 * exactly those by the hash of the empty string, and nothing else inline — and
 * the rules go in through CSSOM (`insertRule`), which CSP does not govern and
 * only script can call. The CSS text is parsed once per style in an inert
 * document, which applies no CSP and renders nothing.
 *
 * A style element loses CSSOM-inserted rules when its tree leaves the document,
 * so the rules are put back whenever the host is connected again.
 */
export function installCssomStyles(): void {
  // createRenderRoot is protected: this is the one place outside a subclass that replaces it.
  const proto = ReactiveElement.prototype as unknown as Patchable;
  const connected = proto.connectedCallback;
  proto.createRenderRoot = function (this: ReactiveElement): HTMLElement | DocumentFragment {
    const ctor = this.constructor as typeof ReactiveElement;
    const root = this.shadowRoot ?? this.attachShadow(ctor.shadowRootOptions);
    for (const style of ctor.elementStyles) {
      const el = document.createElement('style');
      root.appendChild(el);
      rulesOf.set(el, parsedRules(style));
    }
    return root;
  };
  proto.connectedCallback = function (this: ReactiveElement): void {
    connected.call(this);
    for (const el of Array.from(this.shadowRoot?.querySelectorAll('style') ?? [])) fill(el);
  };
}

interface Patchable {
  createRenderRoot(this: ReactiveElement): HTMLElement | DocumentFragment;
  connectedCallback(this: ReactiveElement): void;
}

const rulesOf = new WeakMap<HTMLStyleElement, readonly string[]>();
const parsed = new Map<string, readonly string[]>();
let inert: Document | null = null;

/** The rules of one Lit style, as CSS texts this engine understands (parsed once). */
function parsedRules(style: CSSResultOrNative): readonly string[] {
  const text = 'cssText' in style ? style.cssText : '';
  let rules = parsed.get(text);
  if (!rules) {
    inert ??= document.implementation.createHTMLDocument('');
    const el = inert.createElement('style');
    el.textContent = text;
    inert.head.appendChild(el);
    rules = Array.from(el.sheet?.cssRules ?? [], (r) => r.cssText);
    el.remove();
    parsed.set(text, rules);
  }
  return rules;
}

/** Puts a style element's rules (back) in through CSSOM when its sheet is empty. */
function fill(el: HTMLStyleElement): void {
  const rules = rulesOf.get(el);
  const sheet = el.sheet;
  if (!rules || !sheet || sheet.cssRules.length > 0) return;
  for (const rule of rules) sheet.insertRule(rule, sheet.cssRules.length);
}
