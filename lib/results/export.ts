/**
 * Excel (and PDF report) exports of round results: scores per subject and dimension at a level (anyone who may read
 * those results, with the same suppression), and, for the office only, the raw anonymous answers
 * of valid responses once the round has closed (rawAnswersWorkbook). No link, code, response id or idempotency key is ever written. Every text
 * cell goes through safeCell, so a comment like =HYPERLINK(...) stays text.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { requireRole, type Scope } from '@/lib/auth/scope';
import { caughtUpReplica, rawQuery, type Db } from '@/lib/db/client';
import { ConflictError } from '@/lib/errors';
import { getRound } from '@/lib/rounds/queries';
import { sealIfClosed } from '@/lib/rounds/seal';
import { effectiveStatus } from '@/lib/rounds/status';
import { getRoundResults } from '@/lib/scoring/queries';
import type { RoundResults, Summary } from '@/lib/scoring/schemas';
import { safeRow } from '@/lib/spreadsheet';
import { resultsPdf } from './report-pdf';
import type { ExportQuery } from './schemas';

/** Rows of raw answers written at most (Excel's sheet limit is 1,048,576; past this, export in SQL). */
export const RAW_ROW_LIMIT = 200_000;

export const SUPPRESSED_TEXT = '样本不足';

type Cell = string | number | null;

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

function addSheet(wb: ExcelJS.Workbook, name: string, rows: Cell[][]) {
  const ws = wb.addWorksheet(name);
  for (const row of rows) ws.addRow(safeRow(row));
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((col, i) => (col.width = i === 0 ? 24 : 12));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

function summaryRows(list: (Summary & { shrunk?: number | null; rank?: number | null })[], dimensions: string[], ranked: boolean): Cell[][] {
  const header = ['名称', '类型', '有效答卷', '得分', '满意率(%)', ...(ranked ? ['收缩得分', '校内排名'] : []), ...dimensions.map((d) => `${d}得分`)];
  const body = list.map((s): Cell[] => {
    const type = { staff: '教职工', unit: '单位', school: '学校', district: '学区' }[s.type];
    if (s.suppressed) return [s.name, type, SUPPRESSED_TEXT, SUPPRESSED_TEXT, SUPPRESSED_TEXT, ...(ranked ? [null, null] : []), ...dimensions.map(() => null)];
    return [
      s.name, type, s.respondents, s.score, pct(s.satisfaction),
      ...(ranked ? [s.shrunk ?? null, s.rank ?? null] : []),
      ...dimensions.map((d) => s.dimensions?.[d] ?? null),
    ];
  });
  return [header, ...body];
}

/** The workbook for one results view: summaries, and for a subject its items, 等次 votes and comments. */
export async function resultsWorkbook(results: RoundResults): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pingyi';
  const dims = results.round.dimensions;
  const district = results.district ? [{ ...results.district, name: results.district.name || '学区' }] : [];
  if (results.level === 'district') addSheet(wb, '学校', summaryRows([...district, ...results.schools], dims, false));
  if (results.level === 'school') addSheet(wb, '教师', summaryRows([...(results.school ? [results.school] : []), ...results.subjects], dims, true));
  if (results.level === 'subject') {
    addSheet(wb, '汇总', summaryRows([results.subject, results.school, ...district].filter((s): s is Summary => Boolean(s)), dims, false));
    const groupName = new Map(results.round.raterGroups.map((g) => [g.id, g.name]));
    addSheet(wb, '题目', [
      ['评价者', '题目', '维度', '有效', '平均分', '截尾均分', '满意率(%)', '分布'],
      ...results.items.map((i): Cell[] =>
        i.suppressed || !i.stats
          ? [groupName.get(i.raterGroupId) ?? '', i.title, i.dimension, SUPPRESSED_TEXT, null, null, null, null]
          : [
              groupName.get(i.raterGroupId) ?? '', i.title, i.dimension, i.stats.valid, i.stats.mean, i.stats.trimmedMean, pct(i.stats.satisfaction),
              i.choices.map((c) => `${c.text} ${i.stats!.distribution[c.value] ?? 0}`).join('；'),
            ],
      ),
    ]);
    if (results.grades.length) {
      addSheet(wb, '等次', [
        ['评价者', '等次', '票数', '占比(%)'],
        ...results.grades.flatMap((g): Cell[][] =>
          g.suppressed || !g.votes ? [[groupName.get(g.raterGroupId) ?? '', SUPPRESSED_TEXT, null, null]] : g.votes.map((v) => [groupName.get(g.raterGroupId) ?? '', v.text, v.count, pct(v.share)]),
        ),
      ]);
    }
  }
  const comments = results.comments;
  if (comments && !comments.suppressed && comments.list.length) addSheet(wb, '意见建议', [['意见建议'], ...comments.list.map((c) => [c])]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Flattens one subject's answers: {items: {a: 5}} → [['items.a', 5]]. */
function flatten(value: unknown, prefix = ''): [string, Cell][] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return [[prefix, value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('、')]];
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix, typeof value === 'number' ? value : String(value)]];
}

const chinaDate = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

type RawRow = {
  formId: string;
  school: string;
  className: string | null;
  group: string;
  data: Record<string, unknown>;
};

/**
 * The raw anonymous answers of a round's valid responses (office only), one row per response and
 * subject, one sheet per form; only once the round has closed and been sealed. Polling an export
 * against a link's use count must not tell whose row is new, so the export:
 * - is refused while the round is open or scheduled (409 raw_export_open), and a sealed round
 *   cannot be reopened to make a second export to difference against;
 * - lists responses in random order, with no date at all (the round's window is the only time);
 * - leaves out every group (school × rater group) with fewer valid respondents than the round's
 *   anonymity threshold, and blanks the class where the class has fewer than that in the group.
 * No link, code, response id or idempotency key is ever written.
 */
export async function rawAnswersWorkbook(primary: Db, scope: Scope, roundId: string, replica: Db = primary): Promise<{ bytes: Uint8Array; read: Db }> {
  requireRole(scope, ['office']);
  const { round, forms, schools } = await getRound(primary, scope, roundId);
  const status = effectiveStatus(round);
  if (status !== 'closed' && status !== 'released') throw new ConflictError('raw_export_open');
  await sealIfClosed(primary, round);
  // a replica still missing the last answers before the seal would make a second export differ
  // from the first (telling the newest rows apart): read it only once it has replayed the seal
  const db = await caughtUpReplica(primary, replica);
  // the round's schools and its district part (ballots through links issued to no school)
  const schoolIds = [...schools.map((s) => s.id), round.unitId];
  const threshold = round.anonymityThreshold;
  const rows = schoolIds.length
    ? await rawQuery<RawRow>(
        db,
        `select r.form_id as "formId", u.name as school, case when r.in_class >= $3::int then c.name end as "className", g.name as "group", r.data
         from (
           select *, count(*) over (partition by school_id, rater_group_id) as in_group,
             count(*) over (partition by school_id, rater_group_id, class_id) as in_class
           from responses where round_id = $1::uuid and status = 'valid' and school_id = any($2::uuid[])
         ) r
         join units u on u.id = r.school_id join rater_groups g on g.id = r.rater_group_id left join classes c on c.id = r.class_id
         where r.in_group >= $3::int
         order by random() limit ${RAW_ROW_LIMIT}`,
        [roundId, `{${schoolIds.join(',')}}`, threshold],
      )
    : [];
  const [withheld] = schoolIds.length
    ? await rawQuery<{ groups: number }>(
        db,
        `select count(*)::int as groups from (
           select 1 from responses where round_id = $1::uuid and status = 'valid' and school_id = any($2::uuid[])
           group by school_id, rater_group_id having count(*) < $3::int) g`,
        [roundId, `{${schoolIds.join(',')}}`, threshold],
      )
    : [];
  const subjectIds = [...new Set(rows.flatMap((r) => Object.keys(r.data)))];
  const names = new Map<string, string>();
  if (subjectIds.length) {
    const found = await rawQuery<{ id: string; name: string }>(
      db,
      `select id::text, name from staff where id = any($1::uuid[]) union all select id::text, name from units where id = any($1::uuid[])`,
      [`{${subjectIds.join(',')}}`],
    );
    for (const f of found) names.set(f.id, f.name);
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pingyi';
  const header = ['学校', '班级', '评价者', '评价对象'];
  for (const { form } of forms) {
    const mine = rows.filter((r) => r.formId === form.id);
    const lines = mine.flatMap((r) => Object.entries(r.data).map(([subject, answers]) => ({ r, subject, answers: flatten(answers) })));
    const keys: string[] = [];
    for (const l of lines) for (const [k] of l.answers) if (!keys.includes(k)) keys.push(k);
    addSheet(wb, form.title.slice(0, 31) || '答卷', [
      [...header, ...keys],
      ...lines.map(({ r, subject, answers }): Cell[] => {
        const byKey = new Map(answers);
        return [r.school, r.className, r.group, names.get(subject) ?? '', ...keys.map((k) => byKey.get(k) ?? null)];
      }),
    ]);
  }
  if (!forms.length) addSheet(wb, '答卷', [header]);
  addSheet(wb, '说明', [
    ['说明'],
    [`答卷按随机顺序排列，不含提交时间；测评时间：${chinaDate(round.opensAt)} 至 ${chinaDate(round.closesAt)}。`],
    [`有效答卷少于 ${threshold} 份的学校×评价者组不导出（本次 ${withheld?.groups ?? 0} 组）；班级人数少于 ${threshold} 的不显示班级。`],
  ]);
  return { bytes: new Uint8Array(await wb.xlsx.writeBuffer()), read: db };
}

/** The workbook a request asks for, as a download. */
/** `replica`: where the figures and answers are read (see getRoundResults). */
export async function exportResults(db: Db, scope: Scope, roundId: string, query: ExportQuery, replica: Db = db): Promise<Response> {
  const date = new Date().toISOString().slice(0, 10);
  let bytes: Uint8Array;
  let base: string;
  // where the answer was read: the raw answers fall back to the primary while the replica lags
  let read = replica;
  if (query.kind === 'raw') {
    ({ bytes, read } = await rawAnswersWorkbook(db, scope, roundId, replica));
    base = '原始答卷';
  } else {
    const results = await getRoundResults(db, scope, roundId, { level: query.level, schoolId: query.schoolId, subjectId: query.subjectId, raterGroupId: query.raterGroupId }, { replica });
    if (query.format === 'pdf') {
      const name = `${results.round.title}-${{ district: '学区报告', school: results.school?.name ?? '学校', subject: results.subject?.name ?? '个人' }[results.level]}-${date}.pdf`;
      return new Response(Readable.toWeb(resultsPdf(results)) as ReadableStream<Uint8Array>, {
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `attachment; filename="report-${date}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
          'cache-control': 'no-store',
          'x-pingyi-read': replica === db ? 'primary' : 'replica',
        },
      });
    }
    bytes = await resultsWorkbook(results);
    base = `${results.round.title}-${{ district: '学校汇总', school: results.school?.name ?? '学校', subject: results.subject?.name ?? '个人' }[results.level]}`;
  }
  const name = `${base}-${date}.xlsx`;
  return new Response(Buffer.from(bytes), {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="results-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'cache-control': 'no-store',
      'x-pingyi-read': read === db ? 'primary' : 'replica',
    },
  });
}
