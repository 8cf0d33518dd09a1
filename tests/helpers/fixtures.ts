import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull, like } from 'drizzle-orm';
import { linkToken, tokenHash, tokenSecret } from '@/lib/rounds/tokens';
import { hashPassword } from '@/lib/auth/secrets';
import { createApiKey } from '@/lib/auth/users';
import type { Db } from '@/lib/db/client';
import { classes, links, roundForms, rounds, staff, teachingAssignments, templates, templateVersions, units, users, type Role } from '@/lib/db/schema';

export const PASSWORD = 'correct-horse-battery';
const cli = { type: 'cli', label: 'test' } as const;

/**
 * On top of the demo district: a second district (古城镇学区 with 古城小学) that nobody in 巷道学区
 * may see, with a user, an API key and a round of its own; and one login and one API key per role
 * in 巷道学区 (office at the district, school admin and staff at 巷道中心小学, supervisor at the district).
 */
export async function scopeFixtures(db: Db) {
  const [county] = await db.select().from(units).where(eq(units.kind, 'county'));
  const [home] = await db.select().from(units).where(eq(units.name, '巷道学区'));
  const [school] = await db.select().from(units).where(eq(units.name, '巷道中心小学'));
  const [foreignDistrict] = await db.insert(units).values({ kind: 'district', name: '古城镇学区', parentId: county!.id }).returning();
  const [foreignSchool] = await db.insert(units).values({ kind: 'school', name: '古城小学', parentId: foreignDistrict!.id }).returning();
  const passwordHash = await hashPassword(PASSWORD);
  const unitOf: Record<Role, string> = { office: home!.id, school_admin: school!.id, staff: school!.id, supervisor: home!.id };
  const logins = {} as Record<Role, { id: string; username: string }>;
  const keys = {} as Record<Role, string>;
  for (const role of Object.keys(unitOf) as Role[]) {
    const [u] = await db
      .insert(users)
      .values({ username: `m_${role}`, displayName: role, passwordHash, role, unitId: unitOf[role] })
      .returning();
    logins[role] = { id: u!.id, username: u!.username };
    keys[role] = (await createApiKey(db, cli, { name: `matrix-${role}`, role, unit: unitOf[role] })).key;
  }
  const [inUser] = await db
    .insert(users)
    .values({ username: 'target_in', displayName: '校内教师', passwordHash, role: 'staff', unitId: school!.id })
    .returning();
  const [outUser] = await db
    .insert(users)
    .values({ username: 'target_out', displayName: '外学区教师', passwordHash, role: 'staff', unitId: foreignSchool!.id })
    .returning();
  const [foreignRound] = await db
    .insert(rounds)
    .values({
      unitId: foreignDistrict!.id,
      title: '古城镇学区测评',
      schoolYear: '2026-2027',
      term: 1,
      opensAt: new Date(Date.now() - 86_400_000),
      closesAt: new Date(Date.now() + 86_400_000),
    })
    .returning();
  // roster records on both sides: 巷道中心小学 (in scope for everyone here) and 古城小学 (out)
  const [foreignClass] = await db.insert(classes).values({ schoolId: foreignSchool!.id, grade: 3, name: '三年级(1)班', expectedStudents: 30, expectedParents: 30 }).returning();
  const [foreignStaff] = await db.insert(staff).values({ unitId: foreignSchool!.id, staffNo: 'GC0001', name: '古城老师', position: '教师', subjects: ['语文'] }).returning();
  const [foreignAssignment] = await db
    .insert(teachingAssignments)
    .values({ staffId: foreignStaff!.id, classId: foreignClass!.id, subject: '语文', schoolYear: '2026-2027' })
    .returning();
  const [inClass] = await db.select().from(classes).where(eq(classes.schoolId, school!.id)).limit(1);
  const [inStaff] = await db.select().from(staff).where(eq(staff.unitId, school!.id)).limit(1);
  const [inAssignment] = await db.select().from(teachingAssignments).where(and(eq(teachingAssignments.classId, inClass!.id), eq(teachingAssignments.isHeadTeacher, false))).limit(1);
  const deletable = await db
    .insert(teachingAssignments)
    .values(Array.from({ length: 24 }, (_, i) => ({ staffId: inStaff!.id, classId: inClass!.id, subject: `兴趣课${i}`, schoolYear: '2026-2027' })))
    .returning();
  // templates: the district's own, another district's, and the shared built-in library
  const tiny = { pages: [{ name: 'p', elements: [{ type: 'rating', name: 'q', rateMax: 5 }] }] };
  const [homeTemplate] = await db.insert(templates).values({ unitId: home!.id, kind: 'other', name: '本学区问卷' }).returning();
  const [foreignTemplate] = await db.insert(templates).values({ unitId: foreignDistrict!.id, kind: 'other', name: '外学区问卷' }).returning();
  await db.insert(templateVersions).values([
    { templateId: homeTemplate!.id, version: 1, definition: tiny },
    { templateId: foreignTemplate!.id, version: 1, definition: tiny },
  ]);
  const [builtIn] = await db.select().from(templates).where(isNotNull(templates.builtInKey)).limit(1);
  // the demo's open parent round (all three schools; the open 六查六看 round is answered from
  // accounts), its form, and a roomy class link into it
  const [demoRound] = await db.select().from(rounds).where(and(eq(rounds.unitId, home!.id), eq(rounds.status, 'open'), like(rounds.title, '%家长满意度%')));
  const [demoForm] = await db.select().from(roundForms).where(eq(roundForms.roundId, demoRound!.id));
  const roomyId = randomUUID();
  const secret = await tokenSecret(db);
  await db.insert(links).values({
    id: roomyId,
    roundId: demoRound!.id,
    formId: demoForm!.id,
    kind: 'class',
    tokenHash: tokenHash(secret, linkToken(secret, roomyId)),
    schoolId: school!.id,
    classId: inClass!.id,
    capacity: 1000,
  });
  const [draftRound] = await db
    .insert(rounds)
    .values({ unitId: home!.id, title: '草稿测评', schoolYear: '2026-2027', term: 2, opensAt: new Date(Date.now() + 86_400_000), closesAt: new Date(Date.now() + 10 * 86_400_000) })
    .returning();
  const inKey = await createApiKey(db, cli, { name: 'target-in', role: 'supervisor', unit: '槐山小学' });
  const outKey = await createApiKey(db, cli, { name: 'target-out', role: 'supervisor', unit: '古城小学' });
  return {
    draftRound: draftRound!,
    demoRound: demoRound!,
    demoForm: demoForm!,
    roomyToken: linkToken(secret, roomyId),
    homeTemplate: homeTemplate!,
    foreignTemplate: foreignTemplate!,
    builtInTemplate: builtIn!,
    inClass: inClass!,
    inStaff: inStaff!,
    inAssignment: inAssignment!,
    deletableAssignments: deletable.map((d) => d.id),
    foreignClass: foreignClass!,
    foreignStaff: foreignStaff!,
    foreignAssignment: foreignAssignment!,
    inKeyId: inKey.id,
    outKeyId: outKey.id,
    home: home!,
    school: school!,
    foreignDistrict: foreignDistrict!,
    foreignSchool: foreignSchool!,
    logins,
    keys,
    inUser: inUser!,
    outUser: outUser!,
    foreignRound: foreignRound!,
  };
}
