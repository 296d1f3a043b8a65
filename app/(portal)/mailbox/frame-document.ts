// The mail's HTML as the mailbox frame shows it. The frame is sandboxed without scripts or same-origin
// access; its links open in a new tab (the frame allows popups that leave the sandbox), since a link
// that navigated the frame itself would show another site inside the portal, or nothing.

const OPENING = '<base target="_blank"><meta name="referrer" content="no-referrer">';

/** `html` with a base element that sends every link to a new tab, ahead of any base the mail brings. */
export function frameDocument(html: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + OPENING + html.slice(head.index + head[0].length);
  const root = /<html(\s[^>]*)?>/i.exec(html);
  if (root) return `${html.slice(0, root.index + root[0].length)}<head>${OPENING}</head>${html.slice(root.index + root[0].length)}`;
  return OPENING + html;
}

/** Popups (a link's new tab) may leave the sandbox; scripts, forms and same-origin access stay off. */
export const FRAME_SANDBOX = "allow-popups allow-popups-to-escape-sandbox";
