import { z } from 'zod';
import { ROLES } from '@/lib/db/schema';

export const roleSchema = z.enum(ROLES);

export const usernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[a-zA-Z0-9_.-]+$/, { message: 'username_chars' });

export const staffNoSchema = z.string().trim().min(1).max(32);

export const passwordSchema = z.string().min(10).max(200);

export const createUserInput = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(60).optional(),
  role: roleSchema,
  /** unit id, or the exact unit name; with a staffNo it defaults to the staff member's unit */
  unit: z.string().trim().min(1).optional(),
  /** 工号 of the staff record this login belongs to */
  staffNo: staffNoSchema.optional(),
  password: passwordSchema.optional(),
}).refine((v) => v.unit || v.staffNo, { path: ['unit'], message: 'required' });
export type CreateUserInput = z.input<typeof createUserInput>;

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1).max(80),
  role: roleSchema,
  unit: z.string().trim().min(1).optional(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

export const loginInput = z.object({
  username: z.string().trim().min(1).max(40),
  password: z.string().min(1).max(200),
});
export type LoginInput = z.input<typeof loginInput>;

export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1).max(200),
    newPassword: passwordSchema,
  })
  .refine((v) => v.currentPassword !== v.newPassword, { path: ['newPassword'], message: 'same_password' });
export type ChangePasswordInput = z.input<typeof changePasswordInput>;

export const updateUserInput = z
  .object({
    displayName: z.string().trim().min(1).max(60),
    role: roleSchema,
    unit: z.string().trim().min(1),
    /** link to a staff record by 工号, or null to unlink */
    staffNo: staffNoSchema.nullable(),
    disabled: z.boolean(),
  })
  .partial()
  .strict();
export type UpdateUserInput = z.input<typeof updateUserInput>;
