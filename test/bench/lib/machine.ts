// Describes the machine the figures were taken on.
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import type { Browser } from 'playwright-core';
import type { MachineInfo } from './types.ts';

/** CPU, cores, memory, OS, Node and Chromium versions, load average. */
export async function machineInfo(browser: Browser): Promise<MachineInfo> {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGB: totalmem() / 2 ** 30,
    os: `${type()} ${release()}`,
    node: process.version,
    chromium: browser.version(),
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  };
}
