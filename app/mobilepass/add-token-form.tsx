"use client";

import { useEffect, useRef, useState, type DragEvent, type FormEvent } from "react";
import { FormField, InputField } from "@/app/components/form-field";
import { PskcError } from "@/lib/pskc/errors";
import type { PskcKey } from "@/lib/pskc/types";
import { toBase64 } from "@/lib/pskc/base64";
import { addToken, type OpenToken, type TokenData } from "./token-store";
import styles from "./mobilepass.module.css";

const MAX_FILE_BYTES = 1_000_000;
const PIN_PATTERN = /^\d{4,8}$/;
const NEW_PIN = { type: "password", inputMode: "numeric", autoComplete: "new-password" } as const;

type Field = "file" | "activationKey" | "pin" | "pinConfirm";
type Errors = Partial<Record<Field, string>>;

/** The token as this page keeps it, or a sentence saying why this simulator cannot show its passcodes. */
function tokenDataOf(key: PskcKey): TokenData | string {
  // otplib, like RFC 4226's recommendation, refuses secrets under 128 bits, and makes at most 8 digits.
  if (key.secret.length < 16) return `Token ${key.serial} has a secret shorter than 16 bytes, which MobilePASS cannot use. Ask for a new seed file.`;
  if (key.digits > 8) return `Token ${key.serial} has ${key.digits}-digit passcodes; this MobilePASS shows 6 to 8 digits. Ask for a new seed file.`;
  return {
    serial: key.serial,
    mode: key.algorithm === "totp" ? "time" : "event",
    digits: key.digits,
    stepSeconds: key.timeStepSeconds ?? 30,
    t0Seconds: key.time ?? 0,
    counter: key.counter ?? 0,
    secretB64: toBase64(key.secret),
    userId: key.userId,
  };
}

function check(file: File | null, activationKey: string, pin: string, pinConfirm: string): Errors {
  const errors: Errors = {};
  if (!file) errors.file = "Choose the seed file (.pskc) attached to your activation email.";
  else if (file.size > MAX_FILE_BYTES) errors.file = "This file is too large to be a SafeNet seed file. Choose the .pskc file attached to your activation email.";
  if (!activationKey) errors.activationKey = "Enter the activation key from your activation email.";
  if (!PIN_PATTERN.test(pin)) errors.pin = "Choose an application PIN of 4 to 8 digits.";
  else if (pin !== pinConfirm) errors.pinConfirm = "The two PINs are not the same. Enter the application PIN twice.";
  return errors;
}

// Add token: seed file + activation key → decrypted here → stored under a new application PIN.
export function AddTokenForm(props: { onAdded: (token: OpenToken, others: number) => void; onCancel?: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [activationKey, setActivationKey] = useState("");
  const [pin, setPin] = useState("");
  const [pinConfirm, setPinConfirm] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [failures, setFailures] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  // After each failed attempt, focus the first field that needs attention (once React has marked it invalid).
  useEffect(() => {
    if (failures > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failures]);

  function fail(next: Errors) {
    setErrors(next);
    setFailures((n) => n + 1);
    if (next.pinConfirm) setPinConfirm("");
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files;
    if (dropped.length === 0) return;
    setFile(dropped[0]);
    setErrors((prev) => ({ ...prev, file: undefined }));
    // Show the dropped file in the input too, so keyboard and screen-reader users see the same choice.
    if (fileRef.current) fileRef.current.files = dropped;
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const key = activationKey.trim();
    const found = check(file, key, pin, pinConfirm);
    if (Object.keys(found).length > 0) return fail(found);
    setErrors({});
    setBusy(true);
    try {
      // The PSKC reader (XML, PBKDF2, AES) loads when a file is opened, not with the page: most visits
      // only show a token already added.
      const { readPskc } = await import("@/lib/pskc/decrypt");
      const keys = await readPskc(await file!.text(), key);
      const data = keys.map(tokenDataOf);
      const problem = data.find((d): d is string => typeof d === "string");
      if (problem) return fail({ file: problem });
      const opened: OpenToken[] = [];
      for (const d of data as TokenData[]) opened.push(await addToken(d, pin));
      props.onAdded(opened[0], opened.length - 1);
    } catch (err) {
      if (err instanceof PskcError && err.code === "wrong_password") fail({ activationKey: err.message });
      else if (err instanceof PskcError) fail({ file: err.message });
      else fail({ file: "This browser could not read or store the token. Allow this site to store data, or try another browser." });
    } finally {
      setBusy(false);
    }
  }

  const fileHint = (
    <>
      The <code>.pskc</code> file attached to your activation email. Drop it here, or choose it.
    </>
  );

  return (
    <form ref={formRef} onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={busy}>
      <div
        className={`${styles.dropZone} ${dragging ? styles.dragging : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="seed-drop-zone"
      >
        <FormField id="mp-seed-file" label="Seed file" hint={fileHint} error={errors.file}>
          {(aria) => (
            <input
              {...aria}
              ref={fileRef}
              type="file"
              accept=".pskc,.xml,application/xml,text/xml,application/pskc+xml"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setErrors((prev) => ({ ...prev, file: undefined }));
              }}
            />
          )}
        </FormField>
        {file && <p className="muted">Chosen: {file.name}</p>}
      </div>

      <FormField id="mp-activation-key" label="Activation key" hint="16 letters and digits, from the same email." error={errors.activationKey}>
        {(aria) => (
          <input
            {...aria}
            type="text"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            value={activationKey}
            onChange={(e) => setActivationKey(e.target.value)}
          />
        )}
      </FormField>

      <fieldset>
        <legend>Set the application PIN</legend>
        <p className="hint muted">It protects the token in this browser; you will enter it each time you open the token.</p>
        <InputField {...NEW_PIN} id="mp-pin" label="Application PIN" hint="4 to 8 digits." error={errors.pin} value={pin} onChange={(e) => setPin(e.target.value)} />
        <InputField
          {...NEW_PIN}
          id="mp-pin-confirm"
          label="Confirm application PIN"
          error={errors.pinConfirm}
          value={pinConfirm}
          onChange={(e) => setPinConfirm(e.target.value)}
        />
      </fieldset>

      <div className="button-row">
        <button type="submit" disabled={busy}>
          {busy ? "Opening…" : "Add token"}
        </button>
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
      <p role="status" className="muted">
        {busy ? "Opening the seed file and protecting the token with your PIN…" : ""}
      </p>
    </form>
  );
}
