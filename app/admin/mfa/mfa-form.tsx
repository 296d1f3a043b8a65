"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { FormField, FormStatus } from "@/app/components/form-field";
import { PasscodeField } from "@/app/components/passcode-field";
import { IDLE, type ActionState } from "@/lib/forms/state";
import type { MfaSettings } from "@/lib/mfa/settings";
import type { RepositoriesResult } from "@/lib/server/safenet/check-connection";
import { checkOtpServiceAction, checkTmsApiAction, saveMfaSettingsAction } from "./actions";
import { AuthenticationPanel } from "./authentication-panel";
import { CheckButton } from "./check-button";
import styles from "./mfa.module.css";
import { RadioGroup } from "./radio-group";
import { SaveAnyway } from "./save-anyway";
import { Tabs } from "./tabs";
import { failedUrlKey } from "./url-check";

type Field = keyof MfaSettings;
type Values = Record<Field, string>;

const TAB_OF: Record<Field, "connection" | "authentication" | null> = {
  provider: null,
  otpServiceUrl: "connection",
  mode: "authentication",
  tokenType: "authentication",
  tmsUrl: "authentication",
  userRepository: "authentication",
  splitDelivery: "authentication",
};

export function MfaForm(props: { settings: MfaSettings; repositories: RepositoriesResult }) {
  const [values, setValues] = useState<Values>({ ...props.settings, splitDelivery: props.settings.splitDelivery ? "on" : "" });
  const [tab, setTab] = useState("connection");
  const [repositories, setRepositories] = useState(props.repositories);
  const formRef = useRef<HTMLFormElement>(null);
  // A new key after every answer empties the passcode field (a passcode is never kept) and unticks
  // "Save anyway" (each refusal asks for a fresh confirmation).
  const [stepUpKey, setStepUpKey] = useState(0);

  const [state, formAction, saving] = useActionState(async (prev: ActionState, form: FormData) => {
    const next = await saveMfaSettingsAction(prev, form);
    setStepUpKey((k) => k + 1);
    if (next.status === "error") {
      // Keep what the admin typed; the server's copy is trimmed but may leave out some fields.
      if (next.values) setValues((v) => ({ ...v, ...next.values }));
      const first = Object.keys(next.fieldErrors ?? {}).map((f) => TAB_OF[f as Field]).find(Boolean);
      if (first) setTab(first);
    }
    return next;
  }, IDLE);

  const errors: Partial<Record<Field, string>> = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const stepUpError = state.status === "error" ? state.fieldErrors?.stepUpPasscode : undefined;
  const failedUrl = (field: "otpServiceUrl" | "tmsUrl") => (state.status === "error" ? state.fieldErrors?.[failedUrlKey(field)] : undefined);

  const set = (field: Field, value: string) => setValues((v) => ({ ...v, [field]: value }));

  // After a failed save, put the keyboard on the first field that needs attention.
  useEffect(() => {
    if (state.status !== "error") return;
    const invalid = formRef.current?.querySelectorAll<HTMLElement>('[aria-invalid="true"]') ?? [];
    Array.from(invalid).find((el) => !el.closest("[hidden]"))?.focus();
  }, [state]);

  async function checkTms(url: string) {
    const answer = await checkTmsApiAction(url);
    if ("status" in answer) return answer;
    if (answer.repositories?.ok) setRepositories(answer.repositories);
    return answer.check;
  }

  return (
    <form ref={formRef} action={formAction} noValidate aria-busy={saving}>
      <RadioGroup
        name="provider"
        legend="Provider"
        value={values.provider}
        onChange={(v) => set("provider", v)}
        error={errors.provider}
        hint="With None, RAS users sign in with their domain password alone (the connection test shows it). This portal keeps its own second factor: anyone with an active token still enters PIN + OTP here, and the admin console always needs it. The SafeNet properties are kept for later."
        options={[
          { value: "none", label: "None" },
          { value: "safenet", label: "SafeNet" },
        ]}
      />

      <section aria-labelledby="safenet-properties" className={styles.properties}>
        <h2 id="safenet-properties">SafeNet Properties</h2>
        <Tabs
          label="SafeNet Properties"
          selected={tab}
          onSelect={setTab}
          tabs={[
            {
              id: "connection",
              label: "Connection",
              attention: !!errors.otpServiceUrl,
              panel: (
                <>
                  <FormField
                    id="otpServiceUrl"
                    label="OTP Service URL"
                    error={errors.otpServiceUrl}
                    hint="The SafeNet token validator, usually ending in /TokenValidator/TokenValidator.asmx."
                  >
                    {(aria) => (
                      <input
                        {...aria}
                        type="url"
                        name="otpServiceUrl"
                        autoComplete="off"
                        spellCheck={false}
                        value={values.otpServiceUrl}
                        onChange={(e) => set("otpServiceUrl", e.target.value)}
                      />
                    )}
                  </FormField>
                  <CheckButton id="check-otp" label="Check connection" name="Check connection" url={values.otpServiceUrl} run={checkOtpServiceAction} />
                  <SaveAnyway key={stepUpKey} field="otpServiceUrl" failedUrl={failedUrl("otpServiceUrl")} url={values.otpServiceUrl} />
                </>
              ),
            },
            {
              id: "authentication",
              label: "Authentication",
              attention: !!(errors.mode || errors.tokenType || errors.tmsUrl || errors.userRepository),
              panel: (
                <AuthenticationPanel values={values} errors={errors} onChange={set} repositories={repositories} checkTms={checkTms}>
                  <SaveAnyway key={stepUpKey} field="tmsUrl" failedUrl={failedUrl("tmsUrl")} url={values.tmsUrl} />
                </AuthenticationPanel>
              ),
            },
          ]}
        />
      </section>

      <fieldset>
        <legend>Confirm a change of service URL</legend>
        <PasscodeField
          key={stepUpKey}
          id="stepUpPasscode"
          name="stepUpPasscode"
          label="Your PIN + one-time password"
          error={stepUpError}
          hint="Needed when you change the OTP Service URL or the TMS Web API URL, unless you entered them in the last five minutes: those URLs decide where the portal sends SafeNet's keys. Checked by the OTP service saved now."
        />
      </fieldset>

      <div className={styles.actions}>
        <button type="submit" aria-disabled={saving}>
          {saving ? "Saving…" : "Save"}
        </button>
        <FormStatus state={saving ? { status: "idle", message: "Saving the settings…" } : state} />
      </div>
    </form>
  );
}
