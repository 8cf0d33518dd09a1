/** Page helpers for the results pages: load results for the page's caller, and the words around them. */
import { forbidden, notFound } from 'next/navigation';
import type { Scope } from '@/lib/auth/scope';
import { getDb, getReadDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { getRoundResults } from '@/lib/scoring/queries';
import type { ResultsQuery, RoundResults } from '@/lib/scoring/schemas';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The results a page shows, or why not: "not released" is a page of its own (with what to do next);
 * another school's or another teacher's results are 403; an unknown round or subject is 404.
 */
export async function loadResults(scope: Scope, roundId: string, query: ResultsQuery): Promise<{ results: RoundResults } | { notReleased: true }> {
  if (!UUID.test(roundId)) notFound();
  try {
    return { results: await getRoundResults(await getDb(), scope, roundId, query, { replica: await getReadDb() }) };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'forbidden' && err.params.reason === 'not_released') return { notReleased: true };
    if (err instanceof DomainError && err.code === 'forbidden') forbidden();
    if (err instanceof DomainError && (err.code === 'not_found' || err.code === 'validation')) notFound();
    throw err;
  }
}

/** Filters read from the page's query string (rater group, dimension), only when well-formed. */
export function filtersOf(sp: Record<string, string | string[] | undefined>): Pick<ResultsQuery, 'raterGroupId' | 'dimension'> {
  const one = (v: string | string[] | undefined) => (typeof v === 'string' && v ? v : undefined);
  const raterGroupId = one(sp.raterGroupId);
  const dimension = one(sp.dimension);
  return { raterGroupId: raterGroupId && UUID.test(raterGroupId) ? raterGroupId : undefined, dimension: dimension?.slice(0, 40) };
}

export const fmtScore = (v: number | null | undefined) => (v === null || v === undefined ? '—' : (Math.round(v * 10) / 10).toFixed(1));
export const fmtPct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);

export function queryString(params: Record<string, string | undefined>): string {
  const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return qs ? `?${qs}` : '';
}
