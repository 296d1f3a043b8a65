"use client";

import { useEffect, useRef, useState } from "react";
import { AddTokenForm } from "./add-token-form";
import { OpenTokenForm } from "./open-token-form";
import { listTokens, type OpenToken, type StoredTokenInfo } from "./token-store";
import { TokenView } from "./token-view";
import styles from "./mobilepass.module.css";

type Screen = { kind: "loading" } | { kind: "unavailable"; reason: string } | { kind: "add" } | { kind: "open" } | { kind: "token"; token: OpenToken };

function unavailableReason(): string | null {
  if (!globalThis.crypto?.subtle) {
    return "This browser offers its cryptography only over a secure connection. Open this page over HTTPS, or on localhost.";
  }
  try {
    localStorage.getItem("probe");
  } catch {
    return "This browser does not let the page store data, so it cannot keep a token. Allow site data for this page, or use another browser.";
  }
  return null;
}

// The simulated MobilePASS: add a token from its seed file, open a stored token with the PIN, show passcodes.
export function MobilePass() {
  const [screen, setScreen] = useState<Screen>({ kind: "loading" });
  const [tokens, setTokens] = useState<StoredTokenInfo[]>([]);
  const [notice, setNotice] = useState("");
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  // localStorage exists only in the browser, so the first screen is chosen after hydration.
  useEffect(() => {
    const reason = unavailableReason();
    if (reason) return setScreen({ kind: "unavailable", reason });
    const stored = listTokens();
    setTokens(stored);
    setScreen({ kind: stored.length > 0 ? "open" : "add" });
  }, []);

  // After the user moves between screens, focus the new screen's heading so keyboard and screen-reader users follow.
  useEffect(() => {
    if (moved.current) headingRef.current?.focus();
  }, [screen.kind]);

  function go(next: Screen, message = "") {
    moved.current = true;
    setNotice(message);
    const stored = listTokens();
    setTokens(stored);
    setScreen(next.kind === "open" && stored.length === 0 ? { kind: "add" } : next);
  }

  const heading = (text: string) => (
    <h2 id="mp-screen-title" ref={headingRef} tabIndex={-1}>
      {text}
    </h2>
  );

  return (
    <div>
      <div role="status" className={notice ? "notice" : undefined} data-testid="mobilepass-notice">
        {notice}
      </div>
      {screen.kind === "loading" && <p className="muted">Loading the tokens stored in this browser…</p>}
      {screen.kind === "unavailable" && (
        <p className="form-error" role="alert">
          {screen.reason}
        </p>
      )}
      {screen.kind === "add" && (
        <section aria-labelledby="mp-screen-title" className={styles.card}>
          {heading("Add a token")}
          <AddTokenForm
            onAdded={(token, others) =>
              go(
                { kind: "token", token },
                `Token ${token.data.serial} added. It is stored in this browser only, protected by your application PIN.` +
                  (others > 0 ? ` The file held ${others} more ${others === 1 ? "token" : "tokens"}, stored too.` : ""),
              )
            }
            onCancel={tokens.length > 0 ? () => go({ kind: "open" }) : undefined}
          />
        </section>
      )}
      {screen.kind === "open" && (
        <section aria-labelledby="mp-screen-title" className={styles.card}>
          {heading("Open a token")}
          <OpenTokenForm
            tokens={tokens}
            onOpened={(token) => go({ kind: "token", token })}
            onRemoved={(message) => go({ kind: "open" }, message)}
            onAdd={() => go({ kind: "add" })}
          />
        </section>
      )}
      {screen.kind === "token" && (
        <TokenView
          token={screen.token}
          headingRef={headingRef}
          onChange={(token) => setScreen({ kind: "token", token })}
          onClose={() => go({ kind: "open" })}
        />
      )}
    </div>
  );
}
