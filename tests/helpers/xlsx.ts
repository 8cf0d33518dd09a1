import ExcelJS from 'exceljs';

/** Writes a real xlsx file with the library: sheet name → rows (header first). */
export async function makeXlsx(sheets: Record<string, (string | number)[][]>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export async function readXlsx(bytes: Uint8Array): Promise<Record<string, string[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const out: Record<string, string[][]> = {};
  for (const ws of wb.worksheets) {
    out[ws.name] = [];
    ws.eachRow((row) => out[ws.name]!.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  }
  return out;
}
