"use client";

import { useEffect, useRef, useState } from "react";
import type { TokenView } from "./token-facts";
import { TokenPanel } from "./token-panel";

// Holds the announcement of a deletion, which outlives the deleted token's own section.
export function TokenList(props: { upn: string; tokens: TokenView[]; pinLengths: { min: number; max: number } | null }) {
  const [announcement, setAnnouncement] = useState("");
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (announcement) headingRef.current?.focus();
  }, [announcement]);

  return (
    <>
      <h2 id="tokens-title" ref={headingRef} tabIndex={-1}>
        Tokens
      </h2>
      <div role="status" aria-live="polite" className="success">
        {announcement}
      </div>
      {props.tokens.length === 0 ? (
        <p>{props.upn} has no SafeNet token. Tokens appear here once the user enrolls or one is provisioned.</p>
      ) : (
        props.tokens.map((t) => (
          <TokenPanel key={t.serial} upn={props.upn} token={t} pinLengths={props.pinLengths} onDeleted={setAnnouncement} />
        ))
      )}
    </>
  );
}
