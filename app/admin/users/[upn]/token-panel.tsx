"use client";

import { useActionState, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { FormField, FormStatus } from "@/app/components/form-field";
import { PinFields } from "@/app/components/pin-fields";
import { pinLengthText, type PinLengths } from "@/lib/enroll/pin-rules";
import { IDLE, type ActionState } from "@/lib/forms/state";
import { allowedActions, TOKEN_ACTIONS, type TokenAction } from "@/lib/safenet/token-actions";
import {
  deleteToken,
  reactivateToken,
  reissueToken,
  resetTokenPin,
  resyncToken,
  revokeToken,
  suspendToken,
  unlockToken,
} from "./actions";
import { TokenFacts, type TokenView } from "./token-facts";

const RUN: Record<TokenAction, (prev: ActionState, form: FormData) => Promise<ActionState>> = {
  suspend: suspendToken,
  reactivate: reactivateToken,
  unlock: unlockToken,
  revoke: revokeToken,
  resync: resyncToken,
  pin: resetTokenPin,
  reissue: reissueToken,
  delete: deleteToken,
};

const DANGER: ReadonlySet<TokenAction> = new Set<TokenAction>(["revoke", "reissue", "delete"]);

type PanelState = ActionState & { action?: TokenAction };

// Each action opens a confirmation step first; the second, explicit button carries it out.
export function TokenPanel(props: {
  upn: string;
  token: TokenView;
  pinLengths: PinLengths | null;
  onDeleted: (message: string) => void;
}) {
  const { upn, token, pinLengths, onDeleted } = props;
  const id = useId();
  const [open, setOpen] = useState<TokenAction | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const triggers = useRef<Partial<Record<TokenAction, HTMLButtonElement | null>>>({});
  const wasOpen = useRef(false);

  const [state, dispatch, pending] = useActionState<PanelState, FormData>(async (prev: PanelState, form: FormData): Promise<PanelState> => {
    const action = form.get("intent");
    if (typeof action !== "string" || !(action in RUN)) return prev;
    const result = await RUN[action as TokenAction](IDLE, form);
    if (result.status === "success") {
      setOpen(null);
      if (action === "delete") onDeleted(result.message);
    }
    return { ...result, action: action as TokenAction };
  }, IDLE);

  const allowed = allowedActions(token.state);
  // Another admin may have changed the state meanwhile: a step the new state forbids closes itself.
  const shown = open && allowed.includes(open) ? open : null;
  const panelId = `${id}-confirm`;

  useEffect(() => {
    if (shown) panelRef.current?.focus();
    else if (wasOpen.current && (!document.activeElement || document.activeElement === document.body)) headingRef.current?.focus();
    wasOpen.current = shown !== null;
  }, [shown]);

  useEffect(() => {
    if (state.status === "idle") return;
    const invalid = panelRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    else if (!panelRef.current) headingRef.current?.focus();
  }, [state]);

  function cancel() {
    if (!shown) return;
    triggers.current[shown]?.focus();
    setOpen(null);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape" && !pending) {
      e.preventDefault();
      cancel();
    }
  }

  const errors = state.status === "error" && state.action === shown ? (state.fieldErrors ?? {}) : {};
  const text = shown ? TOKEN_ACTIONS[shown] : null;

  return (
    <section aria-labelledby={`${id}-title`} aria-busy={pending}>
      <h3 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        Token {token.serial}
      </h3>
      <TokenFacts token={token} />

      <div role="group" aria-label={`Actions for token ${token.serial}`} className="button-row">
        {allowed.map((a) => (
          <button
            key={a}
            type="button"
            className={DANGER.has(a) ? "secondary danger" : "secondary"}
            ref={(el) => {
              triggers.current[a] = el;
            }}
            aria-expanded={shown === a}
            aria-controls={shown === a ? panelId : undefined}
            disabled={pending}
            onClick={() => setOpen(shown === a ? null : a)}
          >
            {TOKEN_ACTIONS[a].label}
          </button>
        ))}
      </div>
      {allowed.length === 1 && (
        <p className="muted">This token is {token.state} and cannot change state any more; delete it once it is no longer needed.</p>
      )}

      {shown && text && (
        <div id={panelId} ref={panelRef} role="group" aria-labelledby={`${panelId}-question`} tabIndex={-1} className="notice" onKeyDown={onKeyDown}>
          <p id={`${panelId}-question`}>{text.confirm(token.serial, upn)}</p>
          <form action={dispatch} noValidate>
            <input type="hidden" name="intent" value={shown} />
            <input type="hidden" name="upn" value={upn} />
            <input type="hidden" name="serial" value={token.serial} />
            {shown === "resync" && <ResyncFields prefix={id} digits={token.otpLength} errors={errors} />}
            {shown === "pin" && (
              <PinFields
                idPrefix={id}
                lengths={pinLengths}
                errors={errors}
                labels={{ pin: "New PIN", confirm: "New PIN again" }}
                hint={pinLengths ? `Digits only, ${pinLengthText(pinLengths)}, as the SafeNet policy asks.` : "Digits only, as the SafeNet policy asks."}
              />
            )}
            <div className="button-row">
              <button type="submit" className={DANGER.has(shown) ? "danger" : undefined} disabled={pending} aria-busy={pending}>
                {pending ? text.busyLabel : text.confirmLabel}
              </button>
              <button type="button" className="secondary" onClick={cancel} disabled={pending}>
                Cancel
              </button>
            </div>
          </form>
        </div>
      )}

      <FormStatus state={state} />
    </section>
  );
}

function ResyncFields(props: { prefix: string; digits: number; errors: Record<string, string> }) {
  const hint = `Without the PIN: the ${props.digits}-digit code MobilePASS shows now, then the one it shows next.`;
  return (
    <>
      <FormField id={`${props.prefix}-otp1`} label="First code" hint={hint} error={props.errors.otp1}>
        {(aria) => <input {...aria} name="otp1" inputMode="numeric" autoComplete="off" maxLength={8} />}
      </FormField>
      <FormField id={`${props.prefix}-otp2`} label="Next code" error={props.errors.otp2}>
        {(aria) => <input {...aria} name="otp2" inputMode="numeric" autoComplete="off" maxLength={8} />}
      </FormField>
    </>
  );
}
