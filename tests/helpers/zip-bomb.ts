import zlib from 'node:zlib';
import JSZip from 'jszip';
import { makeXlsx } from './xlsx';

interface Part {
  name: string;
  /** raw deflate data */
  data: Buffer[];
  crc: number;
  size: number;
}

function deflated(name: string, content: Buffer): Part {
  return { name, data: [zlib.deflateRawSync(content)], crc: zlib.crc32(content), size: content.length };
}

/**
 * A real zip bomb: a valid xlsx whose first worksheet inflates to `inflatedBytes` (one cell of
 * repeated letters). The deflate data is one compressed megabyte block repeated — full flushes make
 * each copy independent — so building a gigabyte bomb takes no gigabyte. `declaredSize` writes a
 * smaller uncompressed size into the headers than the data really inflates to (a lying bomb).
 */
export async function zipBombXlsx(inflatedBytes: number, opts: { declaredSize?: number } = {}): Promise<Uint8Array> {
  const base = await JSZip.loadAsync(await makeXlsx({ 教职工: [['工号', '姓名', '所属单位', '岗位']] }));
  const parts: Part[] = [];
  for (const [name, file] of Object.entries(base.files)) {
    if (file.dir || /^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    parts.push(deflated(name, Buffer.from(await file.async('uint8array'))));
  }
  const head = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>');
  const tail = Buffer.from('</t></is></c></row></sheetData></worksheet>');
  const block = Buffer.alloc(1024 * 1024, 'A');
  const copies = Math.max(1, Math.floor((inflatedBytes - head.length - tail.length) / block.length));
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH };
  const packedBlock = zlib.deflateRawSync(block, flush);
  const data = [zlib.deflateRawSync(head, flush), ...Array.from({ length: copies }, () => packedBlock), zlib.deflateRawSync(tail)];
  let crc = zlib.crc32(head);
  for (let i = 0; i < copies; i++) crc = zlib.crc32(block, crc);
  crc = zlib.crc32(tail, crc);
  const size = head.length + copies * block.length + tail.length;
  parts.push({ name: 'xl/worksheets/sheet1.xml', data, crc, size: opts.declaredSize ?? size });
  return writeZip(parts);
}

/** An xlsx whose worksheet has `rows` tiny rows: small on disk and when inflated, but too many rows. */
export async function manyRowsXlsx(rows: number): Promise<Uint8Array> {
  const base = await JSZip.loadAsync(await makeXlsx({ 教职工: [['工号', '姓名', '所属单位', '岗位']] }));
  const parts: Part[] = [];
  for (const [name, file] of Object.entries(base.files)) {
    if (file.dir || /^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    parts.push(deflated(name, Buffer.from(await file.async('uint8array'))));
  }
  const body = Array.from({ length: rows }, (_, i) => `<row r="${i + 2}"/>`).join('');
  parts.push(deflated('xl/worksheets/sheet1.xml', Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c></row>${body}</sheetData></worksheet>`)));
  return writeZip(parts);
}

/** A plain zip (no data descriptors, no zip64) of already deflated parts. */
function writeZip(parts: Part[]): Uint8Array {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const compressed = p.data.reduce((n, b) => n + b.length, 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(compressed, 18);
    local.writeUInt32LE(p.size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(p.crc >>> 0, 16);
    dir.writeUInt32LE(compressed, 20);
    dir.writeUInt32LE(p.size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    out.push(local, name, ...p.data);
    central.push(dir, name);
    offset += 30 + name.length + compressed;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...out, ...central, end]));
}
