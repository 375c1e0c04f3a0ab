/**
 * Read-aloud (朗读) with the Web Speech API, behind a controller so that
 * components never touch `speechSynthesis` and tests can pass a fake.
 * Chinese only speaks when a Chinese voice exists; otherwise the kiosk says
 * so instead of reading Chinese with an English voice.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The part of `SpeechSynthesis` the kiosk uses. */
export interface SpeechEngine extends EventTarget {
  getVoices(): SpeechSynthesisVoice[];
  speak(u: SpeechSynthesisUtterance): void;
  cancel(): void;
  readonly speaking: boolean;
}

/** Makes an utterance (injected so Node tests need no DOM). */
export type UtteranceFactory = (text: string) => SpeechSynthesisUtterance;

/** Picks a voice for `lang` (zh-CN, zh-HK, en); Chinese accepts any zh voice. */
export function pickVoice(
  voices: readonly Pick<SpeechSynthesisVoice, 'lang' | 'localService'>[],
  lang: string,
): number {
  const want = lang.toLowerCase();
  const family = want.split('-')[0];
  const score = (v: Pick<SpeechSynthesisVoice, 'lang' | 'localService'>) => {
    const l = v.lang.toLowerCase().replace('_', '-');
    // An offline kiosk needs a local voice; a network one is a last resort.
    const local = v.localService ? 1 : 0;
    if (l === want) return 4 + local;
    if (l.split('-')[0] === family) return 2 + local;
    return 0;
  };
  let best = -1;
  let bestScore = 0;
  voices.forEach((v, i) => {
    const s = score(v);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  });
  return best;
}

/**
 * Speaks text and tracks whether a voice for the language exists. The host
 * re-renders when the voice list arrives (`voiceschanged`) and when speech
 * starts or stops; speech is cancelled on disconnect.
 */
export class SpeechController implements ReactiveController {
  /** True while speaking. */
  speaking = false;
  private readonly _onVoices = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly engine: SpeechEngine | undefined,
    private readonly makeUtterance: UtteranceFactory | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.engine?.addEventListener('voiceschanged', this._onVoices);
  }

  hostDisconnected(): void {
    this.engine?.removeEventListener('voiceschanged', this._onVoices);
    this.stop();
  }

  /** Whether text in `lang` can be read aloud on this device. */
  canSpeak(lang: string): boolean {
    return !!this.engine && !!this.makeUtterance && pickVoice(this.engine.getVoices(), lang) >= 0;
  }

  /** Reads `text` aloud; returns false (and says nothing) when no voice fits. */
  speak(text: string, lang: string): boolean {
    if (!this.engine || !this.makeUtterance) return false;
    const voices = this.engine.getVoices();
    const i = pickVoice(voices, lang);
    if (i < 0) return false;
    this.engine.cancel();
    const u = this.makeUtterance(text);
    u.voice = voices[i];
    u.lang = voices[i].lang;
    u.rate = 0.9;
    u.onend = u.onerror = () => {
      this.speaking = false;
      this.host.requestUpdate();
    };
    this.speaking = true;
    this.engine.speak(u);
    this.host.requestUpdate();
    return true;
  }

  /** Stops reading (also part of the privacy reset). */
  stop(): void {
    if (this.speaking || this.engine?.speaking) this.engine?.cancel();
    this.speaking = false;
  }
}
