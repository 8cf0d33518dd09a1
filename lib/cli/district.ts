import type { Actor } from '@/lib/audit/log';
import type { DbHandle } from '@/lib/db/client';
import { SETUP_LOCK_ID } from '@/lib/db/migrate';
import { createUnit, initDistrict } from '@/lib/org/units';

/** What main.ts lends a command module: argument parsing, the database, and its usage error. */
export interface CliKit {
  options: (args: string[], names: string[]) => Record<string, string | undefined>;
  required: (values: Record<string, string | undefined>, name: string) => string;
  withDb: <T>(fn: (handle: DbHandle) => Promise<T>) => Promise<T>;
  ensureMigrated: (handle: DbHandle) => Promise<void>;
  usageError: (message: string) => Error;
  actor: Actor;
}

export const DISTRICT_USAGE = `  init --county NAME --district NAME --username U [--name NAME]
                                          start an empty database: the county, its district and the
                                          district's first office login (the password is the last line)
  unit create --name NAME --kind county|district|school|office [--parent UNIT] [--code CODE]`;

const KINDS = ['county', 'district', 'school', 'office', 'team'] as const;

/** `pingyi init` and `pingyi unit create`: how a real district starts from an empty database. */
export async function runDistrictCommand(kit: CliKit, command: 'init' | 'unit', args: string[]): Promise<void> {
  if (command === 'init') {
    const v = kit.options(args, ['county', 'district', 'username', 'name']);
    const input = { county: kit.required(v, 'county'), district: kit.required(v, 'district'), username: kit.required(v, 'username'), displayName: v.name };
    return kit.withDb(async (h) => {
      await kit.ensureMigrated(h);
      // under the setup lock, so a server starting at the same moment cannot seed the demo beside it
      const made = await h.withLock(SETUP_LOCK_ID, () => initDistrict(h.db, kit.actor, input));
      console.log(`Created county ${input.county}, district ${input.district} and the office login ${input.username} (${made.districtId}).`);
      console.log('Initial password (must be changed at first login):');
      console.log(made.password);
    });
  }
  const [sub, ...rest] = args;
  if (sub !== 'create') throw kit.usageError(sub ? `Unknown unit command: ${sub}` : 'Missing unit command');
  const v = kit.options(rest, ['name', 'kind', 'parent', 'code']);
  const kind = kit.required(v, 'kind');
  if (!(KINDS as readonly string[]).includes(kind)) throw kit.usageError(`--kind must be one of ${KINDS.join(', ')}`);
  return kit.withDb(async (h) => {
    await kit.ensureMigrated(h);
    const unit = await createUnit(h.db, kit.actor, { name: kit.required(v, 'name'), kind: kind as (typeof KINDS)[number], parent: v.parent, code: v.code });
    console.log(`Created ${unit.kind} ${unit.name} (${unit.id}).`);
  });
}
