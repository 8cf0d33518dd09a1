import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { settings } from '@/lib/db/schema';
import { sha256 } from '@/lib/auth/secrets';

/** Unambiguous alphabet for codes people type from paper: no 0/O, 1/I/L. 31 symbols ≈ 4.95 bits each. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

const SECRET_KEY = 'token_secret';

/**
 * The deployment's token secret, kept in the database so every instance derives the same tokens.
 * Created on first use.
 */
export async function tokenSecret(db: Db): Promise<string> {
  const [row] = await db.select().from(settings).where(eq(settings.key, SECRET_KEY));
  if (row) return row.value;
  await db
    .insert(settings)
    .values({ key: SECRET_KEY, value: randomBytes(32).toString('hex') })
    .onConflictDoNothing();
  const [created] = await db.select().from(settings).where(eq(settings.key, SECRET_KEY));
  return created!.value;
}

function encode(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
  return out;
}

/**
 * The token of a link, derived from the server secret and the link id so a slip can be reprinted
 * without the token ever being stored. 12 symbols ≈ 59 bits (the modulo bias over 256 costs < 0.1 bit each).
 */
export function linkToken(secret: string, linkId: string, length = 12): string {
  return encode(createHmac('sha256', secret).update(`link:${linkId}`).digest(), length);
}

export function tokenHash(token: string): string {
  return sha256(token.toUpperCase());
}
