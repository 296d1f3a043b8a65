import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

// Any address the portal does not have, and every notFound() a page calls.
export default function NotFound() {
  return (
    <section aria-labelledby="not-found-title" className="narrow">
      <h1 id="not-found-title">Page not found</h1>
      <p>There is no page at this address. Check the address, or start again from the start page.</p>
      <p>
        <Link className="button" href="/">
          Go to the start page
        </Link>
      </p>
    </section>
  );
}
