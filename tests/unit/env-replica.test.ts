/** DATABASE_READ_URL is checked with the rest of the environment: a replica needs a primary on PostgreSQL. */
import { afterEach, describe, expect, it } from 'vitest';
import { env, EnvError, resetEnv } from '@/lib/env';

const saved = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_READ_URL: process.env.DATABASE_READ_URL };

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnv();
});

function withEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnv();
  return env;
}

describe('DATABASE_READ_URL', () => {
  it('is refused without DATABASE_URL (the embedded database has no replica), naming the variable', () => {
    const read = withEnv({ DATABASE_URL: undefined, DATABASE_READ_URL: 'postgres://replica:5432/pingyi' });
    expect(read).toThrow(EnvError);
    expect(read).toThrow(/DATABASE_READ_URL: DATABASE_READ_URL needs DATABASE_URL/);
  });

  it('must be a PostgreSQL URL', () => {
    expect(withEnv({ DATABASE_URL: 'postgres://primary:5432/pingyi', DATABASE_READ_URL: 'mysql://replica/pingyi' })).toThrow(/DATABASE_READ_URL must start with postgres/);
  });

  it('is taken with a primary, and empty means none', () => {
    expect(withEnv({ DATABASE_URL: 'postgres://primary:5432/pingyi', DATABASE_READ_URL: 'postgres://replica:5433/pingyi' })().DATABASE_READ_URL).toBe('postgres://replica:5433/pingyi');
    expect(withEnv({ DATABASE_URL: undefined, DATABASE_READ_URL: '' })().DATABASE_READ_URL).toBeUndefined();
  });
});
