// What no answer may carry: a stack trace, a source path, an error dump, or a secret.

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const PATTERNS: [string, RegExp][] = [
  ["stack frame", /\bat (?:[\w$.<>]+ )?\(?(?:file:\/\/)?\/[^\s()]+:\d+:\d+\)?/],
  ["node_modules path", /node_modules/],
  ["error dump", /\b(?:[A-Z][A-Za-z]*)?Error: /],
  ["source path", /\/(?:work|home|root|tmp)\/[\w./-]+\.(?:ts|js|mjs|cjs)\b/],
];

/** The problems with one answer; `sent` is the request's own text, since an echo of it is not a leak. */
export function leakProblems(answer: Answer, secrets: Record<string, string>, sent: string): string[] {
  const problems: string[] = [];
  const headerText = Object.entries(answer.headers)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`)
    .join("\n");
  for (const [where, text] of [["body", answer.text], ["headers", headerText]] as const) {
    for (const [name, re] of PATTERNS) {
      const m = re.exec(text);
      if (m && !sent.includes(m[0])) problems.push(`${name} in the ${where}: ${JSON.stringify(text.slice(Math.max(0, m.index - 80), m.index + 160))}`);
    }
    for (const [name, value] of Object.entries(secrets)) {
      if (value && text.includes(value)) problems.push(`the ${name} in the ${where}`);
    }
  }
  if (/x-injected/i.test(Object.keys(answer.headers).join(","))) problems.push("a header injected from the request");
  return problems;
}
