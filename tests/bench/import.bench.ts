// Roster import at county scale: 10,000 staff, 5,000 classes, 30,000 teaching assignments across
// 100 schools (BENCH_SCHOOLS; the smoke run uses 5), from one xlsx made with the library. Baseline: the same rows written with plain
// multi-row INSERTs (no file, no checks) into a second fresh database in the same run.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { classes, staff, teachingAssignments, units } from '@/lib/db/schema';
import { importRosterFile } from '@/lib/org/roster/apply';
import { benchDatabase, report, timed } from './harness';

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 100);
const CLASSES_PER_SCHOOL = 50;
const STAFF_PER_SCHOOL = 100;
const SUBJECTS = ['语文', '数学', '英语', '科学', '体育', '音乐'];

function roster() {
  const schools = Array.from({ length: SCHOOLS }, (_, i) => `第${i + 1}小学`);
  const classRows = schools.flatMap((s) => Array.from({ length: CLASSES_PER_SCHOOL }, (_, k) => [s, `${(k % 6) + 1}年级(${Math.floor(k / 6) + 1})班`, String((k % 6) + 1), '40', '40']));
  const staffRows = schools.flatMap((s, i) =>
    Array.from({ length: STAFF_PER_SCHOOL }, (_, k) => [`T${String(i * STAFF_PER_SCHOOL + k).padStart(6, '0')}`, `教师${i}-${k}`, s, '教师', SUBJECTS[k % 6]!, '是']),
  );
  // 6 subjects per class, each taught by one of the school's staff: 30,000 assignments
  const assignmentRows = classRows.flatMap(([s, c], idx) => {
    const school = Math.floor(idx / CLASSES_PER_SCHOOL);
    return SUBJECTS.map((subj, j) => [`T${String(school * STAFF_PER_SCHOOL + ((idx * 6 + j) % STAFF_PER_SCHOOL)).padStart(6, '0')}`, s!, c!, subj, '2026-2027', j === 0 ? '是' : '否']);
  });
  return { schools, classRows, staffRows, assignmentRows };
}

const data = roster();
const wb = new ExcelJS.Workbook();
wb.addWorksheet('班级').addRows([['学校名称', '班级名称', '年级', '学生人数', '家长人数'], ...data.classRows]);
wb.addWorksheet('教职工').addRows([['工号', '姓名', '所属单位', '岗位', '任教学科', '是否在职'], ...data.staffRows]);
wb.addWorksheet('任课').addRows([['工号', '学校名称', '班级名称', '学科', '学年', '班主任'], ...data.assignmentRows]);
const file = new Uint8Array(await wb.xlsx.writeBuffer());

async function withSchools() {
  const handle = await benchDatabase();
  const [district] = await handle.db.insert(units).values({ kind: 'district', name: '基准学区' }).returning();
  const schoolRows = await handle.db
    .insert(units)
    .values(data.schools.map((name) => ({ kind: 'school' as const, name, parentId: district!.id })))
    .returning();
  return { handle, district: district!, schoolIds: new Map(schoolRows.map((s) => [s.name, s.id])) };
}

const a = await withSchools();
const b = await withSchools();
try {
  const [summary, importMs] = await timed(() =>
    importRosterFile(a.handle.db, { role: 'office', unitId: a.district.id }, { type: 'system', label: 'bench' }, { name: 'county.xlsx', bytes: file }),
  );
  if (summary.assignments?.created !== data.assignmentRows.length || summary.staff?.created !== data.staffRows.length) throw new Error(`unexpected summary ${JSON.stringify(summary)}`);

  const [, baselineMs] = await timed(async () => {
    const db = b.handle.db;
    const classIds = new Map<string, string>();
    const staffIds = new Map<string, string>();
    const classValues = data.classRows.map(([s, c, g]) => {
      const id = randomUUID();
      classIds.set(`${s}|${c}`, id);
      return { id, schoolId: b.schoolIds.get(s!)!, name: c!, grade: Number(g), expectedStudents: 40, expectedParents: 40 };
    });
    const staffValues = data.staffRows.map(([no, name, s, pos, subj]) => {
      const id = randomUUID();
      staffIds.set(no!, id);
      return { id, staffNo: no!, name: name!, unitId: b.schoolIds.get(s!)!, position: pos!, subjects: [subj!] };
    });
    const assignmentValues = data.assignmentRows.map(([no, s, c, subj, year, head]) => ({
      staffId: staffIds.get(no!)!,
      classId: classIds.get(`${s}|${c}`)!,
      subject: subj!,
      schoolYear: year!,
      isHeadTeacher: head === '是',
    }));
    await db.transaction(async (tx) => {
      for (let i = 0; i < classValues.length; i += 1000) await tx.insert(classes).values(classValues.slice(i, i + 1000));
      for (let i = 0; i < staffValues.length; i += 1000) await tx.insert(staff).values(staffValues.slice(i, i + 1000));
      for (let i = 0; i < assignmentValues.length; i += 1000) await tx.insert(teachingAssignments).values(assignmentValues.slice(i, i + 1000));
    });
  });
  report('import', a.handle.kind, 'roster_import_ms', importMs, 'ms', baselineMs);
  report('import', a.handle.kind, 'file_bytes', file.length, 'bytes', null);

  const [again, reimportMs] = await timed(() =>
    importRosterFile(a.handle.db, { role: 'office', unitId: a.district.id }, { type: 'system', label: 'bench' }, { name: 'county.xlsx', bytes: file }),
  );
  if (again.assignments?.unchanged !== data.assignmentRows.length) throw new Error('re-import changed something');
  report('import', a.handle.kind, 'reimport_unchanged_ms', reimportMs, 'ms', importMs);
} finally {
  await a.handle.close();
  await b.handle.close();
}
