"use client";

import { FormField } from "@/app/components/form-field";
import { MODES, TOKEN_TYPES } from "@/lib/mfa/labels";
import type { ReactNode } from "react";
import type { RepositoriesResult } from "@/lib/server/safenet/check-connection";
import { CheckButton, type CheckAnswer } from "./check-button";
import styles from "./mfa.module.css";
import { RadioGroup } from "./radio-group";

type Field = "mode" | "tokenType" | "tmsUrl" | "userRepository" | "splitDelivery";
type Listed = Extract<RepositoriesResult, { ok: true }>["repositories"][number];

const statusLabel = (status: string | undefined) => (status ?? "ok").replace(/_/g, " ");

/** Kind, live status and users, as the option names them. */
function repositoryFacts(r: Listed): string {
  const users = r.users === null ? "users not counted" : `${r.users} ${r.users === 1 ? "user" : "users"}`;
  return [r.kind, r.status === undefined ? null : `status ${statusLabel(r.status)}`, users].filter(Boolean).join(", ");
}

/** The Authentication tab: mode (with its token type), TMS Web API URL and its check, user repository. */
export function AuthenticationPanel(props: {
  values: Record<Field, string>;
  errors: Partial<Record<Field, string>>;
  onChange: (field: Field, value: string) => void;
  repositories: RepositoriesResult;
  checkTms: (url: string) => Promise<CheckAnswer>;
  /** Shown under the TMS URL's check: the "Save anyway" confirmation after a failed save. */
  children?: ReactNode;
}) {
  const { values, errors, onChange } = props;
  const tokenTypeEnabled = values.mode === "create_token";

  const tokenType = (
    <div className={styles.nested}>
      <FormField
        id="tokenType"
        label="Token type"
        error={errors.tokenType}
        hint={tokenTypeEnabled ? "The token created for a user at first sign-in." : "Used only with Create token for Domain Authenticated Users."}
      >
        {(aria) => (
          <select {...aria} name="tokenType" value={values.tokenType} disabled={!tokenTypeEnabled} onChange={(e) => onChange("tokenType", e.target.value)}>
            {Object.entries(TOKEN_TYPES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {/* A disabled select is not submitted; the saved token type is kept for when the mode returns. */}
      {!tokenTypeEnabled && <input type="hidden" name="tokenType" value={values.tokenType} />}
    </div>
  );

  const repos = props.repositories;
  const names = repos.ok ? repos.repositories.map((r) => r.name) : [];
  const keepCurrent = values.userRepository && !names.includes(values.userRepository);
  const chosen = repos.ok ? repos.repositories.find((r) => r.name === values.userRepository) : undefined;
  const notUsable = chosen?.status !== undefined && chosen.status !== "ok" ? chosen : undefined;

  return (
    <>
      <RadioGroup
        name="mode"
        legend="Mode"
        value={values.mode}
        onChange={(v) => onChange("mode", v)}
        error={errors.mode}
        options={Object.entries(MODES).map(([value, label]) => ({ value, label, extra: value === "create_token" ? tokenType : undefined }))}
      />
      <FormField id="tmsUrl" label="TMS Web API URL" error={errors.tmsUrl} hint="SafeNet's token management service, usually ending in /TMSWebAPI/v1.">
        {(aria) => (
          <input {...aria} type="url" name="tmsUrl" autoComplete="off" spellCheck={false} value={values.tmsUrl} onChange={(e) => onChange("tmsUrl", e.target.value)} />
        )}
      </FormField>
      <CheckButton id="check-tms" label="Check" name="Check TMS Web API URL" url={values.tmsUrl} run={props.checkTms} />
      {props.children}
      <FormField
        id="userRepository"
        label="User Repository"
        error={errors.userRepository}
        hint={
          repos.ok
            ? "The directory whose users sign in, as the TMS reports it. LDAP directories are added under User repositories."
            : `The list of repositories is missing, so only the current one is offered: ${repos.message}`
        }
        warning={
          notUsable
            ? `${notUsable.name} cannot be used now (${statusLabel(notUsable.status)}): ${notUsable.message ?? "SafeNet did not say why."} Until it answers, its users cannot sign in; fix it under User repositories or choose another.`
            : undefined
        }
      >
        {(aria) => (
          <select {...aria} name="userRepository" value={values.userRepository} onChange={(e) => onChange("userRepository", e.target.value)}>
            {!values.userRepository && <option value="">Choose a repository</option>}
            {keepCurrent && <option value={values.userRepository}>{values.userRepository}{repos.ok ? " (not reported by the TMS)" : ""}</option>}
            {repos.ok &&
              repos.repositories.map((r) => (
                <option key={r.name} value={r.name}>
                  {r.name} ({repositoryFacts(r)})
                </option>
              ))}
          </select>
        )}
      </FormField>
      <div className="field checkbox-field">
        <input
          type="checkbox"
          id="splitDelivery"
          name="splitDelivery"
          checked={values.splitDelivery === "on"}
          onChange={(e) => onChange("splitDelivery", e.target.checked ? "on" : "")}
          aria-describedby="splitDelivery-hint"
        />{" "}
        <label htmlFor="splitDelivery">
          Split delivery: show the activation key and PIN only in the portal
        </label>
        <p id="splitDelivery-hint" className="hint">
          When on, the activation email carries the serial, the seed file and the steps, but not the activation key or the
          application PIN.
        </p>
      </div>
    </>
  );
}
