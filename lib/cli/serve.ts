import http from 'node:http';
import { eq } from 'drizzle-orm';
import next from 'next';
import { CLIENT_HEADER } from '@/lib/auth/caller';
import { startOperations } from '@/lib/backup/services';
import { verifyPassword } from '@/lib/auth/secrets';
import { appDatabase } from '@/lib/db/client';
import { users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { env } from '@/lib/env';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { ensureBuild } from './build';

/**
 * `npm start`: build if needed, open the database (PGlite on disk unless DATABASE_URL), migrate,
 * seed the demo district on first run, then serve. The database handle is shared with the route
 * handlers through globalThis, so this process holds the only PGlite instance on the data directory.
 */
export async function serve(): Promise<void> {
  const e = env();
  await ensureBuild();
  const handle = await appDatabase();
  const { seeded } = await prepareDatabase(handle, { seed: e.PINGYI_SEED === '1' });
  if (seeded) {
    console.log(
      `Seeded the demo district: ${seeded.schools} schools, ${seeded.classes} classes, ${seeded.staff} staff, ${seeded.responses} answers.`,
    );
  }
  const [demo] = await handle.db.select().from(users).where(eq(users.username, DEMO_LOGIN.username));
  if (demo && (await verifyPassword(demo.passwordHash, DEMO_LOGIN.password))) {
    console.log(
      `Demo office login: ${DEMO_LOGIN.username} / ${DEMO_LOGIN.password}  (change this password after logging in)`,
    );
  }

  const app = next({ dev: false, dir: process.cwd(), port: e.PORT, hostname: 'localhost' });
  await app.prepare();
  const handler = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    // the client address for throttling comes from the socket, or from the hop our own trusted
    // proxies appended, never from what the client wrote itself
    const hops = String(req.headers['x-forwarded-for'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    const trusted = e.PINGYI_TRUSTED_PROXIES;
    req.headers[CLIENT_HEADER] = (trusted > 0 ? hops[hops.length - trusted] : undefined) ?? req.socket.remoteAddress ?? 'unknown';
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(e.PORT, resolve));
  const stopOperations = await startOperations(handle);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    // stop accepting, let requests in flight (a submission mid-transaction) finish, then close the database
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await app.close?.();
    await stopOperations();
    await handle.close();
    console.log('Stopped cleanly.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // announced only once the handlers are in place: whoever waits for this line (a supervisor, a test)
  // may stop the server the moment it reads it, and a SIGTERM then must still shut down cleanly
  console.log(`Pingyi is serving http://localhost:${e.PORT} on ${handle.kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL'}`);
}
