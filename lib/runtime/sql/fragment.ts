// One SQL text for both databases: a tagged template whose values become parameters, compiled to
// `?` placeholders for SQLite and `$1, $2…` for PostgreSQL. Queries keep to the SQL the two share
// (RETURNING, ON CONFLICT … DO UPDATE SET x = excluded.x, LIMIT/OFFSET, CASE, COALESCE); what
// differs is asked of the connection (`db.forUpdate`, `db.like`, `db.lock`).

export type Dialect = "sqlite" | "postgres";

// Recognised by a registered symbol, not `instanceof`: Next bundles this module once per layer
// (server components and SSR), and one process-wide connection then meets fragments made by either
// copy — `instanceof` would take the other copy's fragments for plain parameters.
const FRAGMENT = Symbol.for("safenet-portal.sql.fragment");
const RAW = Symbol.for("safenet-portal.sql.raw");

/** A piece of SQL text with its parameters. Values that are themselves fragments are spliced in. */
export class Fragment {
  readonly [FRAGMENT] = true;
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

/** Text spliced in as it is: identifiers and keywords, never anything a user typed. */
class Raw {
  readonly [RAW] = true;
  constructor(readonly text: string) {}
}

const isFragment = (v: unknown): v is Fragment => typeof v === "object" && v !== null && (v as { [FRAGMENT]?: true })[FRAGMENT] === true;
const isRaw = (v: unknown): v is Raw => typeof v === "object" && v !== null && (v as { [RAW]?: true })[RAW] === true;

export type SqlTag = {
  (strings: TemplateStringsArray, ...values: unknown[]): Fragment;
  /** Trusted text (an identifier, a keyword), inserted as it is. */
  raw(text: string): Fragment;
  /** The fragments (or plain values, as parameters) joined by `separator`: `IN (${sql.join(ids)})`. */
  join(parts: readonly unknown[], separator?: string): Fragment;
  /** A fragment that adds nothing: a condition left out. */
  readonly empty: Fragment;
};

export const sql: SqlTag = Object.assign((strings: TemplateStringsArray, ...values: unknown[]) => new Fragment(strings, values), {
  raw: (text: string) => new Fragment(["", ""], [new Raw(text)]),
  join(parts: readonly unknown[], separator = ", "): Fragment {
    if (parts.length === 0) throw new Error("sql.join needs at least one part");
    const strings = ["", ...parts.slice(1).map(() => separator), ""];
    return new Fragment(strings, parts);
  },
  empty: new Fragment([""], []),
});

export interface Compiled {
  text: string;
  params: unknown[];
}

// A call site's template (the same TemplateStringsArray object every time) compiles once per
// dialect when it holds only plain parameters: the hot paths pay for the walk once.
const cache: Record<Dialect, WeakMap<readonly string[], string>> = { sqlite: new WeakMap(), postgres: new WeakMap() };

function param(value: unknown, dialect: Dialect): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean") return dialect === "sqlite" ? (value ? 1 : 0) : value;
  if (typeof value === "bigint") return dialect === "sqlite" ? value : value.toString();
  if (value instanceof Date) throw new TypeError("Pass times as epoch milliseconds, not Date objects");
  return value;
}

export function compile(fragment: Fragment, dialect: Dialect): Compiled {
  const flat = fragment.values.every((v) => !isFragment(v) && !isRaw(v));
  if (flat) {
    let text = cache[dialect].get(fragment.strings);
    if (text === undefined) {
      text = fragment.strings.reduce((acc, s, i) => acc + (i === 0 ? "" : placeholder(i, dialect)) + s, "");
      cache[dialect].set(fragment.strings, text);
    }
    return { text, params: fragment.values.map((v) => param(v, dialect)) };
  }
  const params: unknown[] = [];
  const walk = (f: Fragment): string => {
    let text = f.strings[0];
    f.values.forEach((v, i) => {
      if (isFragment(v)) text += walk(v);
      else if (isRaw(v)) text += v.text;
      else {
        params.push(param(v, dialect));
        text += placeholder(params.length, dialect);
      }
      text += f.strings[i + 1];
    });
    return text;
  };
  return { text: walk(fragment), params };
}

function placeholder(n: number, dialect: Dialect): string {
  return dialect === "sqlite" ? "?" : `$${n}`;
}
