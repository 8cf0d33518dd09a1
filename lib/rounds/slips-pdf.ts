import { A4, CJK, drawCutMarks, drawQr, MM, newPdf, yieldToLoop } from '@/lib/pdf/document';

export interface Slip {
  kind: string;
  token: string;
  schoolName: string;
  className: string | null;
  label: string;
}

/** 2 × 5 slips on an A4 sheet, 93 × 54.6 mm each inside 12 mm margins (room for the cut marks). */
export const SLIP_LAYOUT = { cols: 2, rows: 5, margin: 12 * MM } as const;
export const SLIPS_PER_PAGE = SLIP_LAYOUT.cols * SLIP_LAYOUT.rows;

const TEXT = {
  instructions: '用手机扫描二维码，或打开下面的网址输入编码作答。匿名，每个编码仅可使用一次。',
  code: '编码',
  none: '没有可打印的编码条。',
};

/**
 * Which pile a slip belongs to: each class (or school-wide label such as 党代表) starts on a fresh
 * sheet, so the sheets of one class are cut and handed out together; personal links pile by school.
 */
const pileOf = (s: Slip) => `${s.schoolName}\u0000${s.className ?? (s.kind === 'personal' ? '' : s.label)}`;

/** The sheets a list of slips takes: each pile starts a new sheet. */
export function slipSheets(slips: Slip[]): number {
  let sheets = 0;
  let onSheet = SLIPS_PER_PAGE;
  let pile: string | null = null;
  for (const s of slips) {
    if (onSheet === SLIPS_PER_PAGE || pileOf(s) !== pile) {
      sheets++;
      onSheet = 0;
      pile = pileOf(s);
    }
    onSheet++;
  }
  return Math.max(sheets, 1);
}

/**
 * A print-ready PDF of one-time code slips: A4, cut marks, a vector QR code and the code on each
 * slip, in the respondents' language (Simplified Chinese) whatever the office's. The document is a
 * stream: sheets go out as they are drawn (the subset font and the trailer last), and drawing yields
 * to the event loop after every sheet, so 20,000 slips neither hold the server nor sit in memory.
 */
export function slipsPdf(slips: Slip[], opts: { title: string; origin: string; caption?: string }): PDFKit.PDFDocument {
  const doc = newPdf({ title: opts.title });
  void draw(doc, slips, opts).catch((err: unknown) => doc.destroy(err as Error));
  return doc;
}

async function draw(doc: PDFKit.PDFDocument, slips: Slip[], opts: { title: string; origin: string; caption?: string }) {
  const { cols, rows, margin } = SLIP_LAYOUT;
  const box = { x: margin, y: margin, w: A4.width - 2 * margin, h: A4.height - 2 * margin };
  const cw = box.w / cols;
  const ch = box.h / rows;
  const total = slipSheets(slips);
  const pad = 4 * MM;
  const qr = 34 * MM;
  let sheet = 0;
  let onSheet = SLIPS_PER_PAGE;
  let pile: string | null = null;
  const footer = () => {
    doc.font(CJK).fontSize(7).fillColor('#555');
    doc.text(`${opts.title}${opts.caption ? ` · ${opts.caption}` : ''} · ${sheet}/${total}`, margin, A4.height - margin + 5 * MM, { width: box.w, align: 'center', lineBreak: false });
    doc.fillColor('#000');
  };
  if (!slips.length) {
    sheet = 1;
    drawCutMarks(doc, box, cols, rows);
    doc.font(CJK).fontSize(12).text(TEXT.none, margin + pad, margin + pad, { width: box.w - 2 * pad });
    footer();
  }
  for (const s of slips) {
    if (onSheet === SLIPS_PER_PAGE || pileOf(s) !== pile) {
      if (sheet > 0) {
        doc.addPage();
        await yieldToLoop();
      }
      sheet++;
      onSheet = 0;
      pile = pileOf(s);
      drawCutMarks(doc, box, cols, rows);
      footer();
    }
    const x = box.x + (onSheet % cols) * cw;
    const y = box.y + Math.floor(onSheet / cols) * ch;
    onSheet++;
    const url = `${opts.origin}/s/${s.token}`;
    drawQr(doc, url, x + pad, y + pad, qr);
    const tx = x + pad + qr + pad;
    const tw = cw - (tx - x) - pad;
    // heights hold whole lines of Noto Sans (1.45 em): 2 of the title, 2 of school and class, 3 of help
    doc.font(CJK).fontSize(10).text(opts.title, tx, y + pad, { width: tw, height: 30, ellipsis: true });
    doc.fontSize(9).text(`${s.schoolName} ${s.className ?? s.label}`, tx, y + pad + 31, { width: tw, height: 27, ellipsis: true });
    doc.fontSize(7).fillColor('#333').text(TEXT.instructions, tx, y + pad + 59, { width: tw, height: 31, ellipsis: true });
    doc.fillColor('#000');
    // under the QR code the address to type; at the foot of the text the code
    doc.fontSize(7).text(`${opts.origin}/s/`, x + pad, y + pad + qr + 1.5 * MM, { width: qr + pad, height: 10, ellipsis: true });
    const base = y + ch - pad - 13;
    doc.fontSize(8).text(TEXT.code, tx, base + 3, { lineBreak: false });
    doc.font('Courier-Bold').fontSize(13).text(s.token, tx + 20, base, { lineBreak: false, characterSpacing: 0.8 });
  }
  doc.end();
}
