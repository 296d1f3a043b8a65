"use client";

import "./globals.css";

// The root layout itself failed, so this page brings its own <html> and header, in the portal's style.
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · SafeNet Login portal</title>
      </head>
      <body>
        <header className="site-header">
          {/* Plain links: a full page load on purpose, since the app around this page is what failed. */}
          <a className="site-title" href="/">
            SafeNet Login portal
          </a>
        </header>
        <main id="main">
          <section aria-labelledby="error-title" className="narrow">
            <h1 id="error-title">Something went wrong</h1>
            <p role="alert">The portal could not show this page. Reload it in a moment; if it keeps failing, tell your administrator.</p>
            {error.digest && <p className="muted">Reference: {error.digest}</p>}
            <a className="button" href="/">
              Go to the start page
            </a>
          </section>
        </main>
      </body>
    </html>
  );
}
