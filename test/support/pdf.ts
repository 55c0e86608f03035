/**
 * Reads PDFs in tests the way a reader's tools see them — extracted text, document information,
 * page size, the rendered page — with pdfjs-dist (Mozilla's PDF reader) and @napi-rs/canvas
 * (prebuilt binaries from npm), so `npm test` needs nothing beyond `npm ci` (decision 0017).
 */
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createCanvas } from '@napi-rs/canvas';

export interface PdfInfo {
  pages: number;
  title: string | undefined;
  subject: string | undefined;
  creator: string | undefined;
  /** Size of each page in points (1/72 inch), [width, height]. */
  pageSizes: [number, number][];
}

/** Opens the PDF, gives it to `use`, and always releases pdfjs's resources afterwards. */
async function withPdf<T>(pdf: Uint8Array, use: (doc: PDFDocumentProxy) => Promise<T>): Promise<T> {
  // pdfjs takes ownership of (and detaches) the buffer it is given: hand it a copy.
  const task = getDocument({ data: new Uint8Array(pdf), verbosity: 0 });
  try {
    return await use(await task.promise);
  } finally {
    await task.destroy();
  }
}

/** The text of every page, a line break wherever the reader ends a line, pages separated by a form feed. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  return withPdf(pdf, async (doc) => {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(text);
    }
    return pages.join('\f');
  });
}

export async function pdfInfo(pdf: Uint8Array): Promise<PdfInfo> {
  return withPdf(pdf, async (doc) => {
    const { info } = (await doc.getMetadata()) as { info: Record<string, unknown> };
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const pageSizes: [number, number][] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const [x0, y0, x1, y1] = (await doc.getPage(i)).view as [number, number, number, number];
      pageSizes.push([x1 - x0, y1 - y0]);
    }
    return { pages: doc.numPages, title: str(info.Title), subject: str(info.Subject), creator: str(info.Creator), pageSizes };
  });
}

/** Every page rendered at `dpi` on a white background, as PNG files. */
export async function pdfPagesPng(pdf: Uint8Array, dpi: number): Promise<Buffer[]> {
  return withPdf(pdf, async (doc) => {
    const out: Buffer[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const viewport = page.getViewport({ scale: dpi / 72 });
      const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      // pdfjs is typed for the DOM's canvas; @napi-rs/canvas implements the same 2D API.
      type RenderParams = Parameters<typeof page.render>[0];
      await page.render({ canvas: canvas as unknown as RenderParams['canvas'], canvasContext: context as unknown as RenderParams['canvasContext'], viewport }).promise;
      out.push(canvas.toBuffer('image/png'));
    }
    return out;
  });
}
