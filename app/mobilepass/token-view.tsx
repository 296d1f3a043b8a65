"use client";

import { useEffect, useState, type Ref } from "react";
import { generateOtp, secondsLeft } from "@/lib/otp/web";
import { fromBase64 } from "@/lib/pskc/base64";
import { saveToken, type OpenToken } from "./token-store";
import styles from "./mobilepass.module.css";

const nowSeconds = () => Date.now() / 1000;

/** The time-based passcode and the seconds until the next one, re-checked every second. */
function useTimePasscode(token: OpenToken): { code: string; left: number } {
  const { data } = token;
  const [now, setNow] = useState(nowSeconds);
  const [code, setCode] = useState("");
  const sinceT0 = now - data.t0Seconds;
  const step = Math.floor(sinceT0 / data.stepSeconds);

  useEffect(() => {
    const timer = setInterval(() => setNow(nowSeconds()), 1000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    let current = true;
    // The start of the step shown, so the code always matches the countdown.
    const stepStart = data.t0Seconds + step * data.stepSeconds;
    const { secretB64, digits, stepSeconds, t0Seconds } = data;
    generateOtp({ secret: fromBase64(secretB64), mode: "time", digits, stepSeconds, t0Seconds, nowSeconds: stepStart })
      .then((c) => current && setCode(c))
      .catch(() => current && setCode(""));
    return () => {
      current = false;
    };
  }, [data, step]);

  return { code, left: secondsLeft(sinceT0, data.stepSeconds) };
}

function TimeCode({ token, onCode }: { token: OpenToken; onCode: (code: string) => void }) {
  const { code, left } = useTimePasscode(token);
  useEffect(() => onCode(code), [code, onCode]);
  return (
    <>
      {/* Only the code is live: the countdown changes every second and would flood a screen reader. */}
      <p className={styles.passcode} aria-live="polite" aria-atomic="true" data-testid="passcode">
        {code}
      </p>
      <p className={styles.countdown} data-testid="countdown">
        New code in {left} s
      </p>
    </>
  );
}

function EventCode(props: { token: OpenToken; onCode: (code: string) => void; onChange: (token: OpenToken) => void }) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  async function generate() {
    setBusy(true);
    setError("");
    try {
      const { data } = props.token;
      const next = await generateOtp({ secret: fromBase64(data.secretB64), mode: "event", digits: data.digits, counter: data.counter });
      // Persist the advanced counter before showing the code, so a reload never shows the same code twice.
      const advanced = { ...props.token, data: { ...data, counter: data.counter + 1 } };
      await saveToken(advanced);
      props.onChange(advanced);
      setCode(next);
      props.onCode(next);
    } catch {
      setError("The passcode could not be generated and saved. Allow this site to store data, then try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p className={styles.passcode} aria-live="polite" aria-atomic="true" data-testid="passcode">
        {code}
      </p>
      {!code && <p className="muted">Press Generate for a passcode.</p>}
      <div className="button-row">
        <button type="button" onClick={() => void generate()} disabled={busy}>
          Generate
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function CopyButton({ code }: { code: string }) {
  const [status, setStatus] = useState("");
  useEffect(() => setStatus(""), [code]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setStatus("Copied");
    } catch {
      setStatus("This browser blocked copying: select the passcode and copy it yourself.");
    }
  }

  return (
    <>
      <button type="button" className="secondary" onClick={() => void copy()} disabled={!code}>
        Copy
      </button>
      <span role="status" className={status === "Copied" ? "success" : "form-error"}>
        {status}
      </span>
    </>
  );
}

// The opened token: its facts, the passcode (time-based with a countdown, event-based on demand), Copy.
export function TokenView(props: {
  token: OpenToken;
  headingRef: Ref<HTMLHeadingElement>;
  onChange: (token: OpenToken) => void;
  onClose: () => void;
}) {
  const { data } = props.token;
  const [code, setCode] = useState("");
  return (
    <section aria-labelledby="mp-token-title" className={styles.card}>
      <h2 id="mp-token-title" ref={props.headingRef} tabIndex={-1}>
        Token <span className={styles.serial}>{data.serial}</span>
      </h2>
      <dl className={styles.facts}>
        <dt>Serial</dt>
        <dd data-testid="token-serial">{data.serial}</dd>
        <dt>Mode</dt>
        <dd>{data.mode === "time" ? `Time-based: a new passcode every ${data.stepSeconds} seconds` : "Event-based: a new passcode each time you press Generate"}</dd>
        {data.userId && (
          <>
            <dt>User</dt>
            <dd>{data.userId}</dd>
          </>
        )}
      </dl>

      <h3 className={styles.passcodeLabel}>Passcode</h3>
      {data.mode === "time" ? <TimeCode token={props.token} onCode={setCode} /> : <EventCode token={props.token} onCode={setCode} onChange={props.onChange} />}
      <p>At logon, type your token PIN followed by this passcode, with nothing in between.</p>

      <div className="button-row">
        <CopyButton code={code} />
      </div>
      <div className="button-row">
        <button type="button" className="secondary" onClick={props.onClose}>
          Close token
        </button>
      </div>
    </section>
  );
}
