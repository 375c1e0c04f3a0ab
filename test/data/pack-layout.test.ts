import { describe, expect, it } from 'vitest';
import { layOut } from '../../src/data/packs.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);

/** The file the parts make, and each body read back from it at its offset. */
function readBack(bodies: Uint8Array[]) {
  const { parts, offsets } = layOut(bodies);
  const file = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    file.set(p, at);
    at += p.length;
  }
  return {
    parts,
    file,
    back: bodies.map((b, i) => file.subarray(offsets[i], offsets[i] + b.length)),
  };
}

describe('layOut (pack file layout)', () => {
  it('writes the covered span of a received buffer as one part, without copying', () => {
    const received = new Uint8Array(200_000).map((_, i) => i % 251);
    // Entries of a pack: views into one buffer, with a header before them.
    const bodies = [received.subarray(100, 90_000), received.subarray(90_000, 200_000)];
    const { parts, back } = readBack(bodies);
    expect(parts.length).toBe(1);
    expect(parts[0].buffer).toBe(received.buffer);
    expect(parts[0].byteOffset).toBe(100);
    back.forEach((b, i) => expect(b).toEqual(bodies[i]));
  });

  it('copies bodies of their own, and sparse views, into one tail part', () => {
    const big = new Uint8Array(1_000_000).fill(7);
    // Two small entries far apart in a large buffer: writing the span would store mostly waste.
    const bodies = [bytes(1, 2, 3), big.subarray(10, 20), bytes(4), big.subarray(900_000, 900_005)];
    const { parts, file, back } = readBack(bodies);
    expect(parts.length).toBe(1);
    expect(file.length).toBe(3 + 10 + 1 + 5);
    back.forEach((b, i) => expect(b).toEqual(bodies[i]));
  });

  it('mixes a received span with bodies of their own (a manifest fetched on its own)', () => {
    const received = new Uint8Array(100_000).map((_, i) => i % 13);
    const bodies = [received.subarray(0, 100_000), bytes(9, 9), bytes(8)];
    const { parts, back } = readBack(bodies);
    expect(parts.length).toBe(2);
    back.forEach((b, i) => expect(b).toEqual(bodies[i]));
  });
});
