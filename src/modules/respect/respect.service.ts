/** Respect both ways (issue 7): graduated measures against abuse of staff; criticism protected. */
import type { Tx } from '../../platform/context.js';

export type MeasureKind = 'warning' | 'cool_off' | 'restriction' | 'ban';
export interface ActiveMeasure {
  id: string;
  kind: MeasureKind;
  /** restriction: the channels still allowed (e.g. ['email']); null otherwise */
  channels: string[] | null;
  until: string | null;
}

/**
 * The approved, unexpired measures on a customer at `now`. Contract for other modules (channels, community):
 * keep this signature.
 */
export async function activeMeasures(_tx: Tx, _accountId: string, _customerId: string, _now: Date): Promise<ActiveMeasure[]> {
  throw new Error('activeMeasures: not built yet (issue 7, respect module)');
}

/** Whether the customer may start a contact on this channel now (false under a ban, or a restriction excluding it). */
export async function channelAllowed(_tx: Tx, _accountId: string, _customerId: string, _channel: string, _now: Date): Promise<boolean> {
  throw new Error('channelAllowed: not built yet (issue 7, respect module)');
}
