import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, linkToken, tokenHash } from '@/lib/rounds/tokens';
import { pickLocale } from '@/lib/i18n/config';

describe('link tokens', () => {
  it('use an alphabet without 0/O/1/I/L', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
  });

  it('carry at least 40 bits and are derived, not stored', () => {
    const token = linkToken('secret-a', '6f1c2b1e-0000-4000-8000-000000000001');
    expect(token).toMatch(new RegExp(`^[${CODE_ALPHABET}]{12}$`));
    expect(12 * Math.log2(CODE_ALPHABET.length)).toBeGreaterThan(40);
    // same secret and link → same token (slips can be reprinted); another secret → another token
    expect(linkToken('secret-a', '6f1c2b1e-0000-4000-8000-000000000001')).toBe(token);
    expect(linkToken('secret-b', '6f1c2b1e-0000-4000-8000-000000000001')).not.toBe(token);
    expect(tokenHash('secret-a', token.toLowerCase())).toBe(tokenHash('secret-a', token));
    expect(tokenHash('secret-a', token)).not.toContain(token);
    // keyed: the stored hash cannot be recomputed from the token without the secret
    expect(tokenHash('secret-b', token)).not.toBe(tokenHash('secret-a', token));
  });
});

describe('locale choice', () => {
  it('defaults to Simplified Chinese and honours an explicit choice', () => {
    expect(pickLocale(undefined, undefined)).toBe('zh-CN');
    expect(pickLocale(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLocale(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('zh-CN', 'en-US')).toBe('zh-CN');
    expect(pickLocale('en', undefined)).toBe('en');
    expect(pickLocale('fr', 'de-DE')).toBe('zh-CN');
  });
});
