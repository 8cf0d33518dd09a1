/**
 * Evidence files of a ledger item, checked by what they are, not by what they claim to be: the
 * real type is read from the first bytes (magic numbers); images are decoded and encoded afresh
 * with sharp, which drops every metadata block (EXIF with GPS position, XMP, ICC comments) and
 * anything appended to or smuggled inside the picture; a PDF must start with %PDF- and carry no
 * active content (JavaScript, launch actions, embedded files), looked for in its plain text and in
 * its deflated streams. Pure: no database.
 */
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { ValidationError } from '@/lib/errors';

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_ITEM = 10;

export type AttachmentKind = 'jpeg' | 'png' | 'webp' | 'pdf';
export const CONTENT_TYPES: Record<AttachmentKind, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' };
const EXTENSIONS: Record<AttachmentKind, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', pdf: 'pdf' };

const startsWith = (b: Uint8Array, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The file's real type from its first bytes, or null for anything else (HTML, SVG, executables …). */
export function sniffKind(b: Uint8Array): AttachmentKind | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(b, ascii('%PDF-'))) return 'pdf';
  return null;
}

const fieldError = (key: string, params?: Record<string, string | number>) => new ValidationError({ file: [{ key, ...(params ? { params } : {}) }] });

// PDF names may spell letters as #xx (/J#61vaScript is /JavaScript)
const decodeNames = (s: string) => s.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
const ACTIVE = /\/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|SubmitForm|ImportData|GoToE|XFA)(?![A-Za-z0-9])/;
/** decompressed bytes looked at in all, so a deflate bomb costs no more than this */
const INFLATE_BUDGET = 64 * 1024 * 1024;

/** The active-content name a PDF holds (in its text or inside a Flate stream), or null. */
export function pdfActiveContent(bytes: Uint8Array): string | null {
  const text = Buffer.from(bytes).toString('latin1');
  const plain = decodeNames(text).match(ACTIVE);
  if (plain) return plain[1]!;
  let budget = INFLATE_BUDGET;
  const streams = /stream\r?\n/g;
  for (let m = streams.exec(text); m && budget > 0; m = streams.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      const out = inflateSync(Buffer.from(bytes.subarray(start, end)), { maxOutputLength: budget });
      budget -= out.length;
      const found = decodeNames(out.toString('latin1')).match(ACTIVE);
      if (found) return found[1]!;
    } catch {
      // not deflated (an image's DCT data, …) or damaged: nothing to read inside
    }
    streams.lastIndex = end;
  }
  return null;
}

/** A file name safe to store and to send back: no path, no control characters, the real extension. */
export function safeFilename(name: string, kind: AttachmentKind): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
    .replace(/\.[^.]*$/, '')
    .trim()
    .slice(0, 100);
  return `${base || 'attachment'}.${EXTENSIONS[kind]}`;
}

/**
 * What is stored for an uploaded file: the re-encoded image or the checked PDF, its type and name.
 * Anything else is a field error on `file`; nothing about the file is trusted but its bytes.
 */
export async function cleanAttachment(name: string, bytes: Uint8Array): Promise<{ kind: AttachmentKind; contentType: string; filename: string; bytes: Buffer }> {
  if (bytes.byteLength === 0) throw fieldError('required');
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) throw fieldError('ledger_attachment_size', { max: '5 MB' });
  const kind = sniffKind(bytes);
  if (!kind) throw fieldError('ledger_attachment_type');
  let out: Buffer;
  if (kind === 'pdf') {
    const active = pdfActiveContent(bytes);
    if (active) throw fieldError('ledger_attachment_pdf_active', { name: active });
    out = Buffer.from(bytes);
  } else {
    try {
      // rotate() applies the EXIF orientation before the EXIF block is dropped with the rest
      const img = sharp(bytes, { limitInputPixels: 50_000_000, failOn: 'error' }).rotate();
      out = await (kind === 'jpeg' ? img.jpeg({ quality: 85, mozjpeg: true }) : kind === 'png' ? img.png({ compressionLevel: 9 }) : img.webp({ quality: 85 })).toBuffer();
    } catch {
      throw fieldError('ledger_attachment_damaged');
    }
    if (out.byteLength > MAX_ATTACHMENT_BYTES) throw fieldError('ledger_attachment_size', { max: '5 MB' });
  }
  return { kind, contentType: CONTENT_TYPES[kind], filename: safeFilename(name, kind), bytes: out };
}
