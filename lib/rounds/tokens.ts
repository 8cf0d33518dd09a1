import { createHmac, randomBytes } from 'node:crypto';
import { eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { links, settings } from '@/lib/db/schema';
import { env } from '@/lib/env';

/** Unambiguous alphabet for codes people type from paper: no 0/O, 1/I/L. 31 symbols ≈ 4.95 bits each. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

const SECRET_KEY = 'token_secret';
/** which secret the stored token hashes are keyed with (a fingerprint, not the secret) */
const HASH_KEY = 'token_hash_key';

/**
 * The deployment's token secret. PINGYI_TOKEN_SECRET from the environment when set (production:
 * then a copy of the database — a backup — holds neither the tokens nor what derives them);
 * otherwise one kept in the database, created on first use, so every instance derives the same
 * tokens. Once the secret has been moved out of the database (`pingyi token-secret forget-db`),
 * an instance started without the variable refuses to invent a new one.
 */
export async function tokenSecret(db: Db): Promise<string> {
  const fromEnv = env().PINGYI_TOKEN_SECRET;
  if (fromEnv) return fromEnv;
  const rows = await db.select().from(settings).where(inArray(settings.key, [SECRET_KEY, HASH_KEY]));
  const stored = rows.find((r) => r.key === SECRET_KEY);
  if (stored) return stored.value;
  if (rows.some((r) => r.key === HASH_KEY)) throw new TokenSecretMissing();
  await db
    .insert(settings)
    .values({ key: SECRET_KEY, value: randomBytes(32).toString('hex') })
    .onConflictDoNothing();
  const [created] = await db.select().from(settings).where(eq(settings.key, SECRET_KEY));
  return created!.value;
}

const cached = new WeakMap<Db, Promise<string>>();
/** tokenSecret, read once per process and database: on the answering path it costs no round trip. */
export function cachedTokenSecret(db: Db): Promise<string> {
  const fromEnv = env().PINGYI_TOKEN_SECRET;
  if (fromEnv) return Promise.resolve(fromEnv);
  let hit = cached.get(db);
  if (!hit) {
    cached.set(db, (hit = tokenSecret(db)));
    hit.catch(() => cached.delete(db));
  }
  return hit;
}

export class TokenSecretMissing extends Error {
  constructor() {
    super('PINGYI_TOKEN_SECRET is not set, and the token secret is no longer kept in the database: set it on every instance.');
  }
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

/**
 * What is stored to find a link by its token: an HMAC keyed with the secret, not a plain hash. A
 * plain SHA-256 of a 59-bit code can be reversed offline from a backup (2^59 hashes, fewer with a
 * million codes to hit); keyed, the stored value is useless without the secret.
 */
export function tokenHash(secret: string, token: string): string {
  return createHmac('sha256', secret).update(`hash:${token.toUpperCase()}`).digest('hex');
}

/** A fingerprint that says which secret keyed the stored hashes, without revealing it. */
function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update('fingerprint').digest('hex').slice(0, 16);
}

/**
 * Keys every stored token hash with the secret in effect, when it is not already (run at start,
 * under the setup lock): after the upgrade from unkeyed hashes, and after the secret changes. The
 * same secret (moved from the database to PINGYI_TOKEN_SECRET) keeps every printed token valid;
 * a new secret gives every link a new token (reprint the slips and links). Returns links re-keyed.
 * A staff login's account place is left alone: its hash is random and must match no token at all
 * (keying it would make the place answerable through /s/ by whoever derives its token).
 */
export async function rekeyTokenHashes(db: Db): Promise<number> {
  const secret = await tokenSecret(db);
  const fingerprint = secretFingerprint(secret);
  const [row] = await db.select().from(settings).where(eq(settings.key, HASH_KEY));
  if (row?.value === fingerprint) return 0;
  return db.transaction(async (tx) => {
    const ids = await tx.select({ id: links.id }).from(links).where(ne(links.kind, 'account'));
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = ids.slice(i, i + 1000).map(({ id }) => sql`(${id}::uuid, ${tokenHash(secret, linkToken(secret, id))})`);
      await tx.execute(sql`update ${links} set token_hash = v.h from (values ${sql.join(rows, sql`, `)}) as v(id, h) where ${links.id} = v.id`);
    }
    await tx.insert(settings).values({ key: HASH_KEY, value: fingerprint }).onConflictDoUpdate({ target: settings.key, set: { value: fingerprint } });
    return ids.length;
  });
}

/** Deletes the database's copy of the secret once PINGYI_TOKEN_SECRET holds it (refuses otherwise). */
export async function forgetDatabaseSecret(db: Db): Promise<boolean> {
  const fromEnv = env().PINGYI_TOKEN_SECRET;
  if (!fromEnv) throw new Error('Set PINGYI_TOKEN_SECRET first: the database copy is the only one.');
  await rekeyTokenHashes(db);
  const gone = await db.delete(settings).where(eq(settings.key, SECRET_KEY)).returning();
  return gone.length > 0;
}

/** The secret stored in the database, to move it into PINGYI_TOKEN_SECRET so printed tokens stay valid. */
export async function databaseSecret(db: Db): Promise<string | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, SECRET_KEY));
  return row?.value ?? null;
}
