/**
 * A small periodic shift of the whole screen against burn-in on screens that
 * show the same header and footer for months.
 */

/** The orbit the screen walks, in units of `maxPx`: a square around the origin. */
const ORBIT: readonly [number, number][] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
  [0, -1],
  [1, -1],
];

/** The pixel offset at `now`: one step of the orbit every `periodMs`. */
export function pixelShift(now: number, periodMs = 120_000, maxPx = 3): { x: number; y: number } {
  const [x, y] = ORBIT[Math.floor(now / periodMs) % ORBIT.length];
  return { x: x * maxPx, y: y * maxPx };
}
