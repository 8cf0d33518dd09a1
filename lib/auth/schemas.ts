import { z } from 'zod';
import { ROLES } from '@/lib/db/schema';

export const roleSchema = z.enum(ROLES);

export const usernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[a-zA-Z0-9_.-]+$/, { message: 'username_chars' });

export const passwordSchema = z.string().min(10).max(200);

export const createUserInput = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(60).optional(),
  role: roleSchema,
  /** unit id, or the exact unit name */
  unit: z.string().trim().min(1),
  password: passwordSchema.optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1).max(80),
  role: roleSchema,
  unit: z.string().trim().min(1).optional(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;
