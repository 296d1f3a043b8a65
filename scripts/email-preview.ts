import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createElement, type ComponentType } from "react";
import { renderEmail } from "../lib/mail/render";

// Renders every template in emails/ with its PreviewProps to data/email-preview/<name>.html and .txt:
// the offline twin of `email dev`, needing no preview server.

type Template = ComponentType<Record<string, unknown>> & { PreviewProps?: Record<string, unknown> };

const root = path.resolve(__dirname, "..");
const emailsDir = path.join(root, "emails");
const outDir = path.join(root, "data", "email-preview");

async function main() {
  mkdirSync(outDir, { recursive: true });
  // The same rule `email dev` uses: a template is a file with a default export.
  const files = readdirSync(emailsDir)
    .filter((f) => f.endsWith(".tsx"))
    .filter((f) => /\bexport\s+default\b/.test(readFileSync(path.join(emailsDir, f), "utf8")));
  for (const file of files) {
    const mod = (await import(path.join(emailsDir, file))) as { default: Template };
    const Email = mod.default;
    if (!Email.PreviewProps) throw new Error(`${file} has no PreviewProps; add realistic ones so it can be previewed.`);
    const { html, text } = await renderEmail(createElement(Email, Email.PreviewProps));
    const name = path.basename(file, ".tsx");
    writeFileSync(path.join(outDir, `${name}.html`), html);
    writeFileSync(path.join(outDir, `${name}.txt`), text);
    console.log(`${name}: ${path.relative(process.cwd(), path.join(outDir, name))}.html and .txt`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
