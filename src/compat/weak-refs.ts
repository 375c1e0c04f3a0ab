/**
 * WeakRef and FinalizationRegistry for Chromium 83 (they arrived in 84), which
 * pdf.js uses for canvas and colour-profile caches. They cannot be polyfilled
 * truly: this WeakRef holds its target strongly and the registry never calls
 * back, so on 83 those caches keep their last entry until the next PDF is
 * opened. pdf.js stays correct; only memory is held a little longer.
 */
const scope = self as unknown as Record<string, unknown>;

if (typeof scope.WeakRef !== 'function') {
  scope.WeakRef = class StrongRef<T extends object> {
    readonly #target: T;
    constructor(target: T) {
      this.#target = target;
    }
    deref(): T {
      return this.#target;
    }
  };
}
if (typeof scope.FinalizationRegistry !== 'function') {
  scope.FinalizationRegistry = class NoFinalization {
    register(): void {}
    unregister(): boolean {
      return false;
    }
  };
}
