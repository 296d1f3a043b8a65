"use client";

import Link from "next/link";

// A page that failed while rendering: the header stays, the user can try again or go home. The
// error's text stays in the server log; only its digest, which the log names too, is shown.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section aria-labelledby="error-title" className="narrow">
      <h1 id="error-title">Something went wrong</h1>
      <p role="alert">The portal could not show this page. Try again; if it keeps failing, go to the start page and tell your administrator.</p>
      {error.digest && <p className="muted">Reference: {error.digest}</p>}
      <div className="button-row">
        <button type="button" onClick={reset}>
          Try again
        </button>
        <Link className="button secondary" href="/">
          Go to the start page
        </Link>
      </div>
    </section>
  );
}
