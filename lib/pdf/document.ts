import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * PDF output (slips, reports) through pdfkit, with Noto Sans Hans (OFL) from the
 * `@embedpdf/fonts-sc` package: a fresh machine has no Chinese system fonts, and `npm install` is
 * the only install step. pdfkit subsets the font (fontkit), so a document carries only the glyphs it
 * uses (tens of KB, not the font's 8 MB).
 */

let fontBytes: Buffer | undefined;
/**
 * The regular weight, read once per process (8 MB; fontkit parses it per document). Resolved from
 * the working directory's node_modules (`pingyi` starts in the project root), not with
 * `createRequire(import.meta.url)`: the server bundler rewrites that pattern's `resolve` into a
 * module number. The package exports only its metadata module; its fonts/ folder sits beside dist/.
 */
function cjkFont(): Buffer {
  if (!fontBytes) {
    const entry = createRequire(join(process.cwd(), 'package.json')).resolve('@embedpdf/fonts-sc');
    fontBytes = readFileSync(join(dirname(entry), '..', 'fonts', 'NotoSansHans-Regular.otf'));
  }
  return fontBytes;
}

export const MM = 72 / 25.4;
export const A4 = { width: 595.28, height: 841.89 };
/** the CJK face's name in a document made by newPdf */
export const CJK = 'cjk';

export function newPdf(info: { title: string }): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: true, info: { Title: info.title, Creator: 'Pingyi 评议' }, lang: 'zh-CN' });
  doc.registerFont(CJK, cjkFont());
  doc.font(CJK);
  return doc;
}

/**
 * A QR code drawn as vector rectangles (one fill, horizontal runs merged), `size` points square at
 * (x, y). Vector modules stay sharp at any printer resolution and cost a few hundred bytes.
 */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const cell = size / n;
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      // a hair wider and taller than the cell, so no white seam shows between runs
      doc.rect(x + start * cell, y + row * cell, (col - start) * cell + 0.05, cell + 0.05);
    }
  }
  doc.fill('#000');
}

/**
 * Cut marks for a grid of `cols` × `rows` cells filling the box (x, y, w, h): short ticks in the
 * margin at every cut line, and small crosses where inner cut lines meet, so a guillotine or a
 * ruler finds every line without a border being printed across the slips.
 */
export function drawCutMarks(doc: PDFKit.PDFDocument, box: { x: number; y: number; w: number; h: number }, cols: number, rows: number) {
  const tick = 4 * MM;
  const gap = 1 * MM;
  const cross = 2 * MM;
  doc.save().lineWidth(0.3).strokeColor('#000');
  for (let c = 0; c <= cols; c++) {
    const x = box.x + (box.w * c) / cols;
    doc.moveTo(x, box.y - gap - tick).lineTo(x, box.y - gap);
    doc.moveTo(x, box.y + box.h + gap).lineTo(x, box.y + box.h + gap + tick);
  }
  for (let r = 0; r <= rows; r++) {
    const y = box.y + (box.h * r) / rows;
    doc.moveTo(box.x - gap - tick, y).lineTo(box.x - gap, y);
    doc.moveTo(box.x + box.w + gap, y).lineTo(box.x + box.w + gap + tick, y);
  }
  for (let c = 1; c < cols; c++) {
    for (let r = 1; r < rows; r++) {
      const x = box.x + (box.w * c) / cols;
      const y = box.y + (box.h * r) / rows;
      doc.moveTo(x - cross, y).lineTo(x + cross, y).moveTo(x, y - cross).lineTo(x, y + cross);
    }
  }
  doc.stroke().restore();
}

/** Lets the event loop serve other requests between pages of a long document. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
