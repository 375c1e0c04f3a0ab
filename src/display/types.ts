/** Types the display shares with its callers, re-exported from their owners. */
export type {
  Alert,
  Calendar,
  Guide,
  Item,
  Notice,
  ProcedureStep,
  TaskRow,
} from '../content/types.ts';
import type { KioskConfig } from '../config/types.ts';
export type { KioskConfig };

/** The `display` block of a kiosk configuration. */
export type KioskConfigDisplay = KioskConfig['display'];
