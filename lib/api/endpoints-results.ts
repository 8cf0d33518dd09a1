import { z } from 'zod';
import { exportQuery, trendsQuery, trendsSchema } from '@/lib/results/schemas';
import { defineEndpoint } from './contract';

export const exportResultsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/rounds/{roundId}/results/export',
  summary: 'xlsx of results per subject and dimension at a level (as released to the caller, suppressed cells as 样本不足), or format=pdf: the report of that level as a PDF (figures with 95% intervals and n, differences from the district mean as diverging bars); kind=raw: the anonymous answers of valid responses (office only). Cells that could start a formula are escaped', tag: 'results',
  auth: 'caller', params: z.object({ roundId: z.uuid() }), query: exportQuery, reads: 'replica',
  produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf'], response: z.string().meta({ format: 'binary' }),
});
export const trendsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/results/trends',
  summary: 'Score and 满意率 of the district, each school, or one subject across the rounds released to the caller, oldest first', tag: 'results',
  auth: 'caller', query: trendsQuery, response: trendsSchema, reads: 'replica',
});

export const RESULT_ENDPOINTS = [exportResultsEndpoint, trendsEndpoint];
