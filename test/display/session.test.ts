import { describe, expect, it, vi } from 'vitest';
import type { ReactiveControllerHost } from 'lit';
import {
  KIOSK_DEFAULT_SETTINGS,
  freshSession,
  isPristine,
  wipeBrowserTraces,
} from '../../src/display/session.ts';
import { SpeechController, pickVoice, type SpeechEngine } from '../../src/display/speech.ts';

describe('visitor session', () => {
  it('starts fresh on the attract loop with the kiosk defaults, as a copy', () => {
    const defaults = { ...KIOSK_DEFAULT_SETTINGS, elder: true, uiLang: 'zh-Hant' as const };
    const s = freshSession(defaults);
    expect(s).toEqual({
      screen: 'attract',
      query: '',
      filters: { category: '', issuer: '', year: '', validity: '' },
      openItemId: null,
      returnTo: 'home',
      settings: defaults,
    });
    s.settings.fontSize = 'large';
    expect(defaults.fontSize).toBe('medium');
    expect(isPristine(freshSession(defaults, 'home'), defaults)).toBe(true);
    expect(isPristine({ ...freshSession(defaults), query: 'zw' }, defaults)).toBe(false);
    expect(isPristine(freshSession(KIOSK_DEFAULT_SETTINGS), defaults)).toBe(false);
  });

  it('wipes sessionStorage and replaces history state without pushing entries', () => {
    const storage = { clear: vi.fn() };
    const history = { state: { q: 'zw' } as unknown, replaceState: vi.fn() };
    wipeBrowserTraces({ sessionStorage: storage, history, startUrl: '/?kiosk=hall' });
    expect(storage.clear).toHaveBeenCalledOnce();
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/?kiosk=hall');
    const clean = { state: null, replaceState: vi.fn() };
    wipeBrowserTraces({ history: clean });
    expect(clean.replaceState).not.toHaveBeenCalled();
  });
});

describe('read-aloud', () => {
  const v = (lang: string, localService = true) => ({ lang, localService });

  it('picks an exact local voice first, any Chinese voice next, and none for no match', () => {
    expect(pickVoice([v('en-US'), v('zh-TW'), v('zh-CN', false), v('zh-CN')], 'zh-CN')).toBe(3);
    expect(pickVoice([v('en-US'), v('zh_HK')], 'zh-CN')).toBe(1);
    expect(pickVoice([v('en-US'), v('ja-JP')], 'zh-CN')).toBe(-1);
    expect(pickVoice([], 'en')).toBe(-1);
  });

  it('speaks only with a fitting voice and stops on disconnect', () => {
    const spoken: string[] = [];
    let cancelled = 0;
    const engine = Object.assign(new EventTarget(), {
      speaking: false,
      getVoices: () => [v('zh-CN')] as SpeechSynthesisVoice[],
      speak: (u: SpeechSynthesisUtterance) => void spoken.push(u.text),
      cancel: () => void cancelled++,
    }) satisfies SpeechEngine;
    const host = { addController: vi.fn(), requestUpdate: vi.fn(), removeController: vi.fn() };
    const c = new SpeechController(
      host as unknown as ReactiveControllerHost,
      engine,
      (text) => ({ text }) as SpeechSynthesisUtterance,
    );
    expect(c.canSpeak('zh-CN')).toBe(true);
    expect(c.canSpeak('en')).toBe(false);
    expect(c.speak('政务公开', 'en')).toBe(false);
    expect(c.speak('政务公开', 'zh-CN')).toBe(true);
    expect(spoken).toEqual(['政务公开']);
    expect(c.speaking).toBe(true);
    c.hostDisconnected();
    expect(c.speaking).toBe(false);
    expect(cancelled).toBe(2);
    expect(
      new SpeechController(
        host as unknown as ReactiveControllerHost,
        undefined,
        undefined,
      ).canSpeak('zh-CN'),
    ).toBe(false);
  });
});
