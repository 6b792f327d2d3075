/** Measure kinds, reasons, statuses and limits, and who may act: shared by the respect use cases. */
import type { Principal } from '../../platform/context.js';
import { createHash } from 'node:crypto';
import { can } from '../../platform/context.js';
import { AppError, forbidden } from '../../platform/errors.js';
import type { MeasureKind } from './channel-checks.js';

export const MEASURE_KINDS: MeasureKind[] = ['warning', 'cool_off', 'restriction', 'ban'];
export const REASON_CATEGORIES = ['insult', 'threat', 'harassment', 'discrimination', 'other'] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];
export const MEASURE_STATUSES = ['proposed', 'active', 'rejected', 'expired', 'overturned', 'revoked'] as const;
export const RESTRICTABLE_CHANNELS = ['email', 'chat', 'web', 'phone'] as const;
export const MAX_DAYS = 365;
export const DEFAULT_DAYS: Record<MeasureKind, number> = { warning: 90, cool_off: 7, restriction: 30, ban: 30 };
export const EXPIRE_JOB = 'respect.expire';
export const ROUTE_BANNED_JOB = 'respect.route_banned';

export type EvidenceSource = 'message' | 'community' | 'public';
export interface EvidenceItem {
  source: EvidenceSource;
  messageId?: string;
  ref?: string;
  text: string;
  /** what the classifier says: abuse / criticism / none, and whether it is a threat */
  abuse: 'abuse' | 'criticism' | 'none';
  threat: boolean;
  /** 'findings' (the stored listening row) or 'analyze' (classified now) */
  by: 'findings' | 'analyze';
}

export interface ProposeInput {
  customerId: string;
  conversationId?: string | null;
  kind: MeasureKind;
  channels?: string[];
  reasonCategory: ReasonCategory;
  reasonText?: string;
  messageIds?: string[];
  publicEvidence?: { source: 'community' | 'public'; ref?: string; text: string }[];
  abusedUserIds?: string[];
  durationDays?: number;
}

export const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');
export const DAY = 86_400_000;

/** A measure is decided by people: an API token or the system is not a person. */
export function requirePerson(p: Principal, what: string): string {
  if (p.kind !== 'user' || !p.userId)
    throw new AppError('person_required', `${what} must be done by a signed-in person, not by an API token or the system`, 403);
  return p.userId;
}

export function requireDecider(p: Principal, what: string): string {
  const uid = requirePerson(p, what);
  if (!can(p, 'manage') && !can(p, 'reports'))
    throw forbidden(`The role '${p.role}' may not ${what.toLowerCase()} (needs 'manage' or 'reports': supervisor, leader or admin)`);
  return uid;
}
