import { z } from 'zod';
import { templateKind } from '@/lib/db/schema';

export const definitionSchema = z.record(z.string(), z.unknown()).meta({ description: 'A SurveyJS survey definition (JSON object)' });

export const createTemplateInput = z
  .object({
    kind: z.enum(templateKind.enumValues),
    name: z.string().trim().min(1).max(80),
    description: z.string().trim().max(500).optional(),
    definition: definitionSchema,
  })
  .strict();

export const saveVersionInput = z.object({ definition: definitionSchema, note: z.string().trim().max(200).optional() }).strict();
export const validateDefinitionInput = z.object({ definition: z.unknown() }).strict();
