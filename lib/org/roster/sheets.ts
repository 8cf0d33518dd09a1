/**
 * The four roster sheets as district offices keep them, with Chinese headers (English keys are
 * accepted too). Pure: no database.
 */
export const SHEET_KEYS = ['schools', 'classes', 'staff', 'assignments'] as const;
export type SheetKey = (typeof SHEET_KEYS)[number];

export interface Column {
  key: string;
  header: string;
  required?: boolean;
  example: string;
}

export interface SheetDef {
  key: SheetKey;
  /** worksheet name in xlsx; the first is what we write */
  names: string[];
  columns: Column[];
}

export const SHEETS: Record<SheetKey, SheetDef> = {
  schools: {
    key: 'schools',
    names: ['学校', 'schools'],
    columns: [
      { key: 'name', header: '学校名称', required: true, example: '巷道中心小学' },
      { key: 'code', header: '学校代码', example: 'XD01' },
      { key: 'parent', header: '上级单位', example: '巷道学区' },
      { key: 'active', header: '是否启用', example: '是' },
    ],
  },
  classes: {
    key: 'classes',
    names: ['班级', 'classes'],
    columns: [
      { key: 'school', header: '学校名称', required: true, example: '巷道中心小学' },
      { key: 'name', header: '班级名称', required: true, example: '六年级(2)班' },
      { key: 'grade', header: '年级', required: true, example: '6' },
      { key: 'expectedStudents', header: '学生人数', example: '42' },
      { key: 'expectedParents', header: '家长人数', example: '42' },
      { key: 'active', header: '是否启用', example: '是' },
    ],
  },
  staff: {
    key: 'staff',
    names: ['教职工', 'staff'],
    columns: [
      { key: 'staffNo', header: '工号', required: true, example: 'XD0001' },
      { key: 'name', header: '姓名', required: true, example: '王芳' },
      { key: 'unit', header: '所属单位', required: true, example: '巷道中心小学' },
      { key: 'position', header: '岗位', required: true, example: '教师' },
      { key: 'subjects', header: '任教学科', example: '语文、数学' },
      { key: 'active', header: '是否在职', example: '是' },
    ],
  },
  assignments: {
    key: 'assignments',
    names: ['任课', 'assignments'],
    columns: [
      { key: 'staffNo', header: '工号', required: true, example: 'XD0001' },
      { key: 'school', header: '学校名称', required: true, example: '巷道中心小学' },
      { key: 'className', header: '班级名称', required: true, example: '六年级(2)班' },
      { key: 'subject', header: '学科', required: true, example: '语文' },
      { key: 'schoolYear', header: '学年', required: true, example: '2026-2027' },
      { key: 'headTeacher', header: '班主任', example: '是' },
    ],
  },
};

export const POSITIONS = ['校长', '副校长', '书记', '主任', '教师', '班主任', '工勤', '其他'] as const;

export function sheetByName(name: string): SheetDef | undefined {
  const n = name.trim().toLowerCase();
  return Object.values(SHEETS).find((s) => s.names.some((x) => x.toLowerCase() === n));
}

/** Which sheet a CSV is, from its header row: the sheet all of whose required columns are present. */
export function sheetByHeaders(headers: string[]): SheetDef | undefined {
  const have = new Set(headers.map((h) => h.trim().toLowerCase()));
  const matches = Object.values(SHEETS).filter((s) =>
    s.columns.filter((c) => c.required).every((c) => have.has(c.header.toLowerCase()) || have.has(c.key.toLowerCase())),
  );
  // staff and assignments share 工号; prefer the sheet with the most matching columns
  return matches.sort(
    (a, b) =>
      b.columns.filter((c) => have.has(c.header.toLowerCase())).length - a.columns.filter((c) => have.has(c.header.toLowerCase())).length,
  )[0];
}

/** Maps a header cell to a column key (Chinese header or English key). */
export function columnFor(sheet: SheetDef, header: string): Column | undefined {
  const h = header.trim().toLowerCase();
  return sheet.columns.find((c) => c.header.toLowerCase() === h || c.key.toLowerCase() === h);
}
