// The benchmark areas, in report order. Each area is one module; an area whose
// code has not landed yet returns `not-measured` with the reason.
import type { Area } from '../lib/types.ts';
import { size } from './size.ts';
import { start } from './start.ts';
import { lighthouseArea } from './lighthouse.ts';
import { search } from './search.ts';
import { sync } from './sync.ts';
import { display } from './display.ts';
import { cli } from './cli.ts';
import { plainHttp } from './plain-http.ts';

export const AREAS: readonly Area[] = [
  size,
  start,
  lighthouseArea,
  display,
  search,
  cli,
  sync,
  plainHttp,
];
