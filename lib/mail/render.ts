import { render } from "@react-email/components";
import type { ReactElement } from "react";

// `render` is @react-email/render's, re-exported by @react-email/components (the declared dependency).

export interface RenderedEmail {
  html: string;
  text: string;
}

/** Both parts of one email: the HTML, and the plain text that clients without HTML show. */
export async function renderEmail(element: ReactElement): Promise<RenderedEmail> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { html, text };
}
