// The timeline's keyset cursor: the (at, id) of the last row shown, opaque in the URL.

export interface TimelineCursor {
  at: number;
  id: number;
}

export function encodeCursor(c: TimelineCursor): string {
  return Buffer.from(`${c.at}.${c.id}`, "utf8").toString("base64url");
}

/** The cursor, or null when `raw` is not one this module wrote. */
export function decodeCursor(raw: string): TimelineCursor | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) return null;
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(raw, "base64url").toString("utf8"));
  if (!m) return null;
  const at = Number(m[1]);
  const id = Number(m[2]);
  return Number.isSafeInteger(at) && Number.isSafeInteger(id) ? { at, id } : null;
}
