import { toCsv, toXlsx, type Table } from './export';
import { SHEETS, type SheetKey } from './sheets';

/** An xlsx of all sheets, or a CSV of one (staff when none is named), as a file download. */
export async function download(tables: Partial<Record<SheetKey, Table>>, format: 'xlsx' | 'csv', sheet: SheetKey | undefined, base: string) {
  const date = new Date().toISOString().slice(0, 10);
  if (format === 'xlsx') {
    const picked = sheet ? { [sheet]: tables[sheet] } : tables;
    return new Response(Buffer.from(await toXlsx(picked)), {
      headers: {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="${base}-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${base}-${date}.xlsx`)}`,
      },
    });
  }
  const key = sheet ?? 'staff';
  const name = `${base}-${SHEETS[key].names[1]}-${date}.csv`;
  return new Response(Buffer.from(toCsv(tables[key] ?? [SHEETS[key].columns.map((c) => c.header)])), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` },
  });
}
