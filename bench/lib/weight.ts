// The JS and CSS a page loaded, and which files weigh most across the pages: the table that says
// where to look when a page is over its budget.

export interface LoadedFile {
  /** The path, e.g. /_next/static/chunks/abc.js. */
  url: string;
  kind: "js" | "css";
  /** Body bytes as transferred (compressed when the server compressed). */
  transferred: number;
  /** The content-encoding the server sent, "none" when it sent none. */
  encoding: string;
  /** Body bytes decoded. */
  raw: number;
  /** The decoded body gzipped here (level 6), to compare with what was transferred. */
  gzip: number;
}

/** Markdown: the heaviest JS files over all pages, with how many pages load each. */
export function weightTable(pages: Map<string, LoadedFile[]>, top = 12): string {
  const files = new Map<string, { file: LoadedFile; pages: string[] }>();
  for (const [page, loaded] of pages) {
    for (const file of loaded.filter((f) => f.kind === "js")) {
      const seen = files.get(file.url) ?? { file, pages: [] };
      seen.pages.push(page);
      files.set(file.url, seen);
    }
  }
  const kB = (n: number) => (n / 1000).toFixed(1);
  const rows = [...files.values()]
    .sort((a, b) => b.file.transferred - a.file.transferred)
    .slice(0, top)
    .map(({ file, pages: on }) => {
      const where = on.length === pages.size ? "every page" : on.length > 3 ? `${on.length} of ${pages.size} pages` : on.join(", ");
      return `| \`${file.url.split("/").pop()}\` | ${kB(file.transferred)} | ${kB(file.raw)} | ${file.encoding} | ${where} |`;
    });
  return [
    `The heaviest JS files (first run), of ${files.size} distinct files over ${pages.size} pages:`,
    "",
    "| file | transferred kB | uncompressed kB | encoding | loaded by |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
