import { z } from 'zod';
import { optionalText } from '@/lib/validation';
import { COMPLAINT_CATEGORIES, COMPLAINT_RATINGS } from '@/lib/db/schema';
import { CODE_ALPHABET } from '@/lib/rounds/tokens';

/** Tracking codes are 12 symbols of the slip alphabet, shown as XXXX-XXXX-XXXX; spaces, dashes and case are forgiven. */
export const TRACKING_LENGTH = 12;
export const trackingCode = z
  .string()
  .max(40)
  .transform((s) => s.normalize('NFKC').toUpperCase().replace(/[\s-]/g, ''))
  .refine((s) => s.length === TRACKING_LENGTH && [...s].every((c) => CODE_ALPHABET.includes(c)), { message: 'tracking_code' });

/** The public form: what the complaint is about, the category and text; name and contact are optional (anonymous allowed). */
export const fileComplaintInput = z
  .object({
    unitId: z.uuid(),
    personName: optionalText(30),
    category: z.enum(COMPLAINT_CATEGORIES),
    body: z.string().trim().min(10).max(2000),
    name: optionalText(30),
    contact: optionalText(60),
  })
  .strict();

export const trackInput = z.object({ code: trackingCode }).strict();

export const rateInput = z
  .object({ code: trackingCode, rating: z.enum(COMPLAINT_RATINGS), comment: optionalText(500) })
  .strict();

export const complaintActionInput = z.discriminatedUnion('action', [
  /** 受理, optionally matching the named person to a staff record */
  z.object({ action: z.literal('accept'), staffId: z.uuid().optional() }).strict(),
  z.object({ action: z.literal('decline'), reason: z.string().trim().min(2).max(500) }).strict(),
  /** 转办 to the unit that handles it (a school or office of the caller's district) */
  z.object({ action: z.literal('assign'), unitId: z.uuid(), note: optionalText(500) }).strict(),
  /** 办理: the reply the complainant reads with the tracking code */
  z.object({ action: z.literal('reply'), reply: z.string().trim().min(5).max(2000) }).strict(),
  /** 办结 */
  z.object({ action: z.literal('close'), note: optionalText(500) }).strict(),
]);

export const COMPLAINT_STEPS = ['received', 'accepted', 'assigned', 'replied', 'rated'] as const;
export type ComplaintStep = (typeof COMPLAINT_STEPS)[number];

const days = z.number().int().min(1).max(60);
export const complaintRulesInput = z
  .object({ days: z.object({ received: days, accepted: days, assigned: days, replied: days, rated: days }).strict() })
  .strict();

export const complaintListQuery = z.object({
  status: z.enum(['received', 'declined', 'accepted', 'assigned', 'replied', 'rated', 'closed']).optional(),
  overdue: z.enum(['1', 'true']).optional(),
});
