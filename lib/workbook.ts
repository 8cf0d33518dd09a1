/**
 * Reading an uploaded xlsx without trusting it. An xlsx is a zip: 20 MB of it can inflate to
 * gigabytes, and exceljs (through JSZip) inflates every part in memory before a single row can be
 * counted. So the archive is inflated once first as a stream, counting and discarding: it must
 * unpack to at most MAX_INFLATED_BYTES (the sizes it declares are checked too, and yauzl refuses an
 * entry that inflates past its declared size), and no worksheet may hold more than `maxRows` rows.
 * Only an archive that passes is handed to exceljs. Memory stays at one inflate window per entry.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** A county roster inflates to ≈10 MB; a sheet at MAX_ROWS of six columns to ≈20 MB. */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
const MAX_ENTRIES = 2_000;

export type WorkbookIssue =
  | { code: 'not_spreadsheet' }
  | { code: 'inflated_too_large'; params: { max: string } }
  | { code: 'too_many_rows'; params: { max: number } };

class Refused extends Error {
  constructor(readonly issue: WorkbookIssue) {
    super(issue.code);
  }
}

function openZip(bytes: Uint8Array): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, validateEntrySizes: true }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    ),
  );
}

function entryStream(zip: ZipFile, entry: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))));
}

/** Counts `<row>` elements of a worksheet's XML across chunk boundaries (`<rowBreaks>` is not one). */
function rowCounter() {
  let tail = '';
  let rows = 0;
  return (chunk: Buffer): number => {
    const text = tail + chunk.toString('latin1');
    for (const m of text.matchAll(/<row[\s>/]/g)) if (m.index! + m[0].length > tail.length) rows++;
    tail = text.slice(-5);
    return rows;
  };
}

/** Inflates every entry once, counting; throws Refused at the first limit crossed. */
async function checkArchive(bytes: Uint8Array, maxRows: number): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await openZip(bytes);
  } catch {
    throw new Refused({ code: 'not_spreadsheet' });
  }
  if (zip.entryCount > MAX_ENTRIES) {
    zip.close();
    throw new Refused({ code: 'not_spreadsheet' });
  }
  const tooLarge = new Refused({ code: 'inflated_too_large', params: { max: `${MAX_INFLATED_BYTES / 1024 / 1024} MB` } });
  let declared = 0;
  let inflated = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: Entry) => {
        void (async () => {
          if (entry.fileName.endsWith('/')) return;
          declared += entry.uncompressedSize;
          if (declared > MAX_INFLATED_BYTES) throw tooLarge;
          const isSheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(entry.fileName);
          const count = rowCounter();
          await pipeline(
            await entryStream(zip, entry),
            new Writable({
              write(chunk: Buffer, _enc, done) {
                inflated += chunk.length;
                if (inflated > MAX_INFLATED_BYTES) return done(tooLarge);
                // the header row is row 1; more than maxRows data rows is refused while reading
                if (isSheet && count(chunk) > maxRows + 1) return done(new Refused({ code: 'too_many_rows', params: { max: maxRows } }));
                done();
              },
            }),
          );
        })().then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } catch (err) {
    if (err instanceof Refused) throw err;
    // a size that differs from the declared one, a bad CRC, an unsupported method or encryption
    throw new Refused({ code: 'not_spreadsheet' });
  } finally {
    zip.close();
  }
}

/** The workbook of an uploaded xlsx, or the reason it is refused. */
export async function readWorkbook(bytes: Uint8Array, opts: { maxRows: number }): Promise<{ workbook: ExcelJS.Workbook } | { issue: WorkbookIssue }> {
  try {
    await checkArchive(bytes, opts.maxRows);
  } catch (err) {
    if (err instanceof Refused) return { issue: err.issue };
    throw err;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    return { issue: { code: 'not_spreadsheet' } };
  }
  return { workbook };
}
