/**
 * The public side of 效能投诉: filing, reading the status with the tracking code, and the 回访
 * rating. No login, so every path is same-origin JSON only (lib/api/handler.ts), limited per
 * address, and says nothing about a complaint to anyone without its code: a wrong code and a
 * missing complaint get the same answer, and wrong codes are counted like wrong passwords.
 */
import { createHash, randomInt } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '@/lib/audit/log';
import { calendarFor } from '@/lib/calendar/calendar';
import { countAttempt, lockedMinutes, recordFailure, type ThrottleRule } from '@/lib/auth/throttle';
import type { Db } from '@/lib/db/client';
import { complaintEvents, complaints, units } from '@/lib/db/schema';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '@/lib/errors';
import { CODE_ALPHABET } from '@/lib/rounds/tokens';
import { parseInput } from '@/lib/validation';
import { isOverdue, stepDue } from './deadlines';
import { stepDaysFor } from './rules';
import { fileComplaintInput, rateInput, trackInput, TRACKING_LENGTH } from './schemas';

/** Ten complaints an hour from one address (a family, or a school gate behind one mobile NAT). */
export const FILE_RULE: ThrottleRule = { maxFailures: 10, windowMs: 60 * 60_000, lockMs: 60 * 60_000 };
/** Ten wrong tracking codes in 15 minutes lock the address for 15 minutes (a code has ~59 bits). */
export const TRACK_RULE: ThrottleRule = { maxFailures: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

const SYSTEM = { type: 'system', label: 'public' } as const;

export const trackingHash = (code: string) => createHash('sha256').update(`complaint:${code}`).digest('hex');

export function newTrackingCode(): string {
  return Array.from({ length: TRACKING_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** XXXX-XXXX-XXXX, easier to copy by hand. */
export const displayCode = (code: string) => code.match(/.{1,4}/g)!.join('-');

/** The schools and offices a complaint can be about, grouped under their district. */
export async function complaintTargets(db: Db) {
  const all = await db
    .select({ id: units.id, parentId: units.parentId, kind: units.kind, name: units.name, sortOrder: units.sortOrder })
    .from(units)
    .where(eq(units.active, true))
    .orderBy(asc(units.sortOrder), asc(units.name));
  const byId = new Map(all.map((u) => [u.id, u]));
  return all
    .filter((u) => u.kind === 'school' || u.kind === 'office')
    .map((u) => ({ id: u.id, kind: u.kind as 'school' | 'office', name: u.name, district: (u.parentId && byId.get(u.parentId)?.name) || null }));
}

export async function fileComplaint(db: Db, address: string, raw: z.input<typeof fileComplaintInput>, now = new Date()) {
  const input = parseInput(fileComplaintInput, raw);
  const [unit] = await db.select().from(units).where(and(eq(units.id, input.unitId), eq(units.active, true), inArray(units.kind, ['school', 'office'])));
  if (!unit) throw new ValidationError({ unitId: [{ key: 'invalid' }] });
  // counted only once the input is sound: a typo does not use up the address's allowance
  const wait = await countAttempt(db, `complaint:${address}`, FILE_RULE, now);
  if (wait > 0) throw new DomainError('rate_limited', { minutes: wait });
  const code = newTrackingCode();
  const days = await stepDaysFor(db, unit.id);
  const calendar = await calendarFor(db, unit.id, now);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(complaints)
      .values({
        trackingHash: trackingHash(code),
        unitId: unit.id,
        personName: input.personName ?? null,
        category: input.category,
        body: input.body,
        name: input.name ?? null,
        contact: input.contact ?? null,
        status: 'received',
        stepDueAt: stepDue('received', now, days, calendar),
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: complaints.id, stepDueAt: complaints.stepDueAt });
    await tx.insert(complaintEvents).values({ complaintId: row!.id, status: 'received', at: now });
    // the complainant's text and identity stay in the complaint; the log notes only that one came in
    await recordAudit(tx, SYSTEM, { action: 'complaint.file', entityType: 'complaint', entityId: row!.id, unitId: unit.id, summary: { category: input.category } });
    return { trackingCode: displayCode(code), acceptBy: row!.stepDueAt!.toISOString() };
  });
}

/** The complaint a tracking code opens, counting a wrong code against the address. */
async function byCode(db: Db, address: string, code: string, now: Date) {
  const key = `complaint-track:${address}`;
  const locked = await lockedMinutes(db, key, now);
  if (locked > 0) throw new DomainError('rate_limited', { minutes: locked });
  const [row] = await db.select().from(complaints).where(eq(complaints.trackingHash, trackingHash(code)));
  if (!row) {
    await recordFailure(db, key, TRACK_RULE, now);
    throw new NotFoundError('complaint');
  }
  return row;
}

/** What the complainant sees: the steps and their dates, the reply or the reason for declining; no names, no internal notes. */
export async function trackComplaint(db: Db, address: string, raw: unknown, now = new Date()) {
  const { code } = parseInput(trackInput, raw);
  const c = await byCode(db, address, code, now);
  const [unit] = await db.select({ name: units.name }).from(units).where(eq(units.id, c.unitId));
  const steps = await db
    .select({ status: complaintEvents.status, at: complaintEvents.at })
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, c.id))
    .orderBy(asc(complaintEvents.at));
  return {
    trackingCode: displayCode(code),
    unitName: unit!.name,
    category: c.category,
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    stepDueAt: c.stepDueAt?.toISOString() ?? null,
    overdue: isOverdue(c, now),
    steps: steps.map((s) => ({ status: s.status, at: s.at.toISOString() })),
    declineReason: c.declineReason,
    reply: c.status === 'replied' || c.status === 'rated' || c.status === 'closed' ? c.reply : null,
    rating: c.rating,
    canRate: c.status === 'replied',
  };
}

/** 回访: the complainant rates the reply, once, while the complaint waits for it. */
export async function rateComplaint(db: Db, address: string, raw: unknown, now = new Date()) {
  const input = parseInput(rateInput, raw);
  const c = await byCode(db, address, input.code, now);
  if (c.status !== 'replied') throw new ConflictError('complaint_not_awaiting_rating');
  const days = await stepDaysFor(db, c.unitId);
  const calendar = await calendarFor(db, c.unitId, now);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(complaints)
      .set({ status: 'rated', rating: input.rating, ratingComment: input.comment ?? null, stepDueAt: stepDue('rated', now, days, calendar), updatedAt: now })
      .where(and(eq(complaints.id, c.id), eq(complaints.status, 'replied')))
      .returning({ id: complaints.id });
    if (!updated.length) throw new ConflictError('complaint_not_awaiting_rating');
    await tx.insert(complaintEvents).values({ complaintId: c.id, status: 'rated', at: now, late: isOverdue(c, now) });
    await recordAudit(tx, SYSTEM, { action: 'complaint.rate', entityType: 'complaint', entityId: c.id, unitId: c.unitId, summary: { rating: input.rating } });
  });
  return trackComplaint(db, address, { code: input.code }, now);
}
