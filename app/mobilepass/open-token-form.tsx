"use client";

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { FormField } from "@/app/components/form-field";
import { openToken, removeToken, type OpenToken, type StoredTokenInfo } from "./token-store";
import styles from "./mobilepass.module.css";

const modeLabel = (mode: StoredTokenInfo["mode"]) => (mode === "time" ? "time-based" : "event-based");

// Open token: pick a stored token by serial and unlock it with the application PIN.
export function OpenTokenForm(props: {
  tokens: StoredTokenInfo[];
  onOpened: (token: OpenToken) => void;
  /** A token left the store (removed, or wiped after too many wrong PINs); `message` says which and why. */
  onRemoved: (message: string) => void;
  onAdd: () => void;
}) {
  const { tokens } = props;
  const [serial, setSerial] = useState(tokens[0]?.serial ?? "");
  const [pin, setPin] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const selected = tokens.some((t) => t.serial === serial) ? serial : (tokens[0]?.serial ?? "");

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!/^\d{4,8}$/.test(pin)) {
      setError("Enter the application PIN you set when you added this token (4 to 8 digits).");
      pinRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const result = await openToken(selected, pin);
      if (result.ok) return props.onOpened(result.token);
      setPin("");
      if ("missing" in result) return props.onRemoved(`Token ${selected} is no longer stored in this browser.`);
      if (result.wiped) {
        return props.onRemoved(
          `Wrong PIN 5 times: token ${selected} was removed from this browser, as MobilePASS does. Add it again with the seed file and activation key.`,
        );
      }
      const left = result.attemptsLeft;
      setError(`Wrong PIN. ${left} ${left === 1 ? "attempt" : "attempts"} left before this token is removed from this browser.`);
      pinRef.current?.focus();
    } catch {
      setError("This browser could not open the stored token. Allow this site to store data, or add the token again.");
    } finally {
      setBusy(false);
    }
  }

  function cancelRemove() {
    setConfirming(false);
    removeRef.current?.focus();
  }

  function onConfirmKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.preventDefault();
      cancelRemove();
    }
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={busy}>
      <fieldset className={styles.tokens}>
        <legend>Tokens stored in this browser</legend>
        {tokens.map((t) => (
          <label key={t.serial}>
            <input
              type="radio"
              name="serial"
              value={t.serial}
              checked={t.serial === selected}
              onChange={() => {
                setSerial(t.serial);
                setError(undefined);
                setConfirming(false);
              }}
            />
            Token <span className={styles.serial}>{t.serial}</span> ({modeLabel(t.mode)})
          </label>
        ))}
      </fieldset>

      <FormField id="mp-open-pin" label="Application PIN" error={error}>
        {(aria) => (
          <input
            {...aria}
            ref={pinRef}
            type="password"
            inputMode="numeric"
            autoComplete="current-password"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        )}
      </FormField>

      <div className="button-row">
        <button type="submit" disabled={busy}>
          {busy ? "Opening…" : "Open token"}
        </button>
        <button
          ref={removeRef}
          type="button"
          className="secondary danger"
          aria-expanded={confirming}
          aria-controls={confirming ? "mp-remove-confirm" : undefined}
          onClick={() => setConfirming(!confirming)}
          disabled={busy}
        >
          Remove token from this browser
        </button>
        <button type="button" className="secondary" onClick={props.onAdd} disabled={busy}>
          Add another token
        </button>
      </div>
      <p role="status" className="muted">
        {busy ? "Opening the token with your PIN…" : ""}
      </p>

      {confirming && (
        <div
          id="mp-remove-confirm"
          ref={confirmRef}
          role="group"
          aria-labelledby="mp-remove-question"
          tabIndex={-1}
          className="notice"
          onKeyDown={onConfirmKeyDown}
        >
          <p id="mp-remove-question">
            Remove token {selected} from this browser? To use it here again you will need its seed file and activation key.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="danger"
              onClick={() => {
                removeToken(selected);
                setConfirming(false);
                props.onRemoved(`Token ${selected} was removed from this browser.`);
              }}
            >
              Remove token
            </button>
            <button type="button" className="secondary" onClick={cancelRemove}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
