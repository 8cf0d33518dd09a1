import { z } from 'zod';
import { defineEndpoint } from './contract';

export const backupResultSchema = z
  .object({
    file: z.string(),
    createdAt: z.string(),
    database: z.enum(['pglite', 'postgres']),
    migration: z.string().nullable(),
    tables: z.record(z.string(), z.number().int()),
    bytes: z.number().int(),
    sha256: z.string(),
  })
  .meta({ id: 'Backup' });

export const createBackupEndpoint = defineEndpoint({
  method: 'post',
  path: '/api/v1/backups',
  summary: 'Make a backup now into PINGYI_BACKUP_DIR on the server (office of the top unit only: a backup holds every district). Answers the manifest, never the file',
  tag: 'system',
  auth: 'caller',
  roles: ['office'],
  status: 201,
  response: backupResultSchema,
});

export const BACKUP_ENDPOINTS = [createBackupEndpoint];
