// LIKE patterns that take a user's text literally: `%`, `_` and the escape character itself are
// escaped with `\`, so every query using them says `ESCAPE '\'` (the same on SQLite and PostgreSQL).

const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Matches values that start with `text`. */
export const startsWith = (text: string) => `${literal(text)}%`;

/** Matches values that contain `text`. */
export const contains = (text: string) => `%${literal(text)}%`;
