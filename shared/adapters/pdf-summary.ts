import PDFDocument from 'pdfkit';
import { dirname, join } from 'node:path';
import type { Block } from '../domain/case-files/summary';

/*
 * Lays out a case file's summary outline (domain/case-files/summary.ts) as an A4 PDF with pdfkit.
 * DejaVu fonts are embedded so that every name as recorded prints as written (macrons, accents,
 * other scripts), which the PDF standard fonts (WinAnsi only) cannot.
 */

const fontDir = (): string => join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONTS = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', mono: 'DejaVuSansMono.ttf' } as const;

const MARGIN = 50;
const GAP = 6;

type Doc = InstanceType<typeof PDFDocument>;

const bottomOf = (doc: Doc): number => doc.page.height - MARGIN - 20;

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > bottomOf(doc)) doc.addPage();
}

function fields(doc: Doc, rows: [string, string][], width: number): void {
  const labelWidth = 110;
  for (const [label, value] of rows) {
    doc.font('regular').fontSize(9.5);
    const height = Math.max(doc.heightOfString(value, { width: width - labelWidth }), 12);
    ensureRoom(doc, height);
    const y = doc.y;
    doc.font('bold').fillColor('#444').text(label, MARGIN, y, { width: labelWidth - 8 });
    doc.font('regular').fillColor('#000').text(value, MARGIN + labelWidth, y, { width: width - labelWidth });
    doc.x = MARGIN;
    doc.y = y + height + 2;
  }
  doc.moveDown(0.4);
}

function table(doc: Doc, block: Extract<Block, { kind: 'table' }>, width: number): void {
  if (!block.rows.length) return;
  const cols = block.columns.map((c) => ({ ...c, px: c.width * width }));
  const pad = 3;
  const fontFor = (i: number, header: boolean) =>
    doc.font(header ? 'bold' : cols[i]!.mono ? 'mono' : 'regular').fontSize(cols[i]!.mono && !header ? 7 : 8.5);
  const heightOf = (cells: string[], header: boolean): number =>
    Math.max(...cells.map((cell, i) => fontFor(i, header).heightOfString(cell || ' ', { width: cols[i]!.px - 2 * pad }))) + 2 * pad;
  const titles = cols.map((c) => c.title);
  const draw = (cells: string[], header: boolean, height: number): void => {
    const y = doc.y;
    if (header) doc.rect(MARGIN, y, width, height).fill('#e8e8e8');
    let x = MARGIN;
    cells.forEach((cell, i) => {
      fontFor(i, header).fillColor('#000').text(cell, x + pad, y + pad, { width: cols[i]!.px - 2 * pad });
      x += cols[i]!.px;
    });
    doc.moveTo(MARGIN, y + height).lineTo(MARGIN + width, y + height).lineWidth(0.3).strokeColor('#bbb').stroke();
    doc.x = MARGIN;
    doc.y = y + height;
  };
  const headerHeight = heightOf(titles, true);
  // A header is never left alone at the foot of a page, and a table that runs on repeats it.
  ensureRoom(doc, headerHeight + heightOf(block.rows[0]!, false));
  draw(titles, true, headerHeight);
  for (const cells of block.rows) {
    const height = heightOf(cells, false);
    if (doc.y + height > bottomOf(doc)) {
      doc.addPage();
      draw(titles, true, headerHeight);
    }
    draw(cells, false, height);
  }
  doc.moveDown(0.6);
}

/** The PDF's bytes (a summary is a few pages of text: held whole, unlike the evidence). */
export function renderSummaryPdf(blocks: Block[], footer: string, info: { title: string; createdAt: Date }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: info.title, Creator: 'Daybreak', CreationDate: info.createdAt } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const dir = fontDir();
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, join(dir, file));
  const width = doc.page.width - 2 * MARGIN;
  for (const block of blocks) {
    switch (block.kind) {
      case 'title':
        doc.font('bold').fontSize(18).fillColor('#000').text(block.text, { width });
        doc.moveDown(0.5);
        break;
      case 'heading':
        if (block.newPage) doc.addPage();
        else ensureRoom(doc, 60);
        doc.font('bold').fontSize(14).fillColor('#000').text(block.text, MARGIN, doc.y, { width });
        doc.moveDown(0.4);
        break;
      case 'subheading':
        // A heading keeps the first lines of what it heads on its page.
        ensureRoom(doc, 130);
        doc.moveDown(0.3).font('bold').fontSize(11).fillColor('#000').text(block.text, MARGIN, doc.y, { width });
        doc.y += GAP / 2;
        break;
      case 'fields':
        fields(doc, block.rows, width);
        break;
      case 'paragraph':
        doc.font('regular').fontSize(9.5).fillColor('#000');
        ensureRoom(doc, Math.min(doc.heightOfString(block.text, { width }), 100));
        doc.text(block.text, MARGIN, doc.y, { width });
        doc.moveDown(0.5);
        break;
      case 'table':
        table(doc, block, width);
        break;
    }
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(7.5).fillColor('#666').text(`${footer} — page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN + 15, { width, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
