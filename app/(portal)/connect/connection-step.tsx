"use client";

import { FormField } from "@/app/components/form-field";
import type { GatewayOption } from "@/lib/connect/connection";
import type { DecideState } from "./schemas";
import styles from "./connect.module.css";

// Step 1, the client's connection dialog: who logs on, with which password, from where.

export function ConnectionStep(props: {
  state: DecideState;
  action: (form: FormData) => void;
  pending: boolean;
  values: Record<string, string>;
  viewerUpn: string;
  canTestAnyone: boolean;
  gateways: GatewayOption[];
  defaults: { clientIp: string; clientMac: string; gateway: string };
}) {
  const { state, values, defaults, pending } = props;
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const kept = (name: string, fallback: string) => values[name] ?? fallback;

  return (
    <section aria-labelledby="connect-step-1-title" className={styles.step}>
      <h2 id="connect-step-1-title" tabIndex={-1} className={styles.heading}>
        Step 1 of 3: Connection
      </h2>
      <p>
        The Parallels Client asks for the domain credentials and reports where the connection comes from. SafeNet checks the
        password exactly as at a real logon.
      </p>
      <form action={props.action} noValidate aria-labelledby="connect-step-1-title">
        <fieldset>
          <legend>Credentials</legend>
          <FormField
            id="connect-username"
            label="User name"
            error={errors.username}
            hint={
              props.canTestAnyone
                ? "Any logon name: alice@corp.local, CORP\\alice or alice. As an administrator you can test any user."
                : "Your own logon; administrators can test any user."
            }
          >
            {(aria) => (
              <input
                {...aria}
                name="username"
                autoComplete="off"
                spellCheck={false}
                readOnly={!props.canTestAnyone}
                defaultValue={props.canTestAnyone ? kept("username", "") : props.viewerUpn}
              />
            )}
          </FormField>
          <FormField id="connect-password" label="Password" hint="The user's domain password." error={errors.password}>
            {(aria) => <input {...aria} name="password" type="password" autoComplete="off" />}
          </FormField>
        </fieldset>
        <fieldset>
          <legend>Connection</legend>
          <div className={styles.grid}>
            <FormField id="connect-clientIp" label="Client IP address" hint="IPv4 or IPv6, as the client reports it." error={errors.clientIp}>
              {(aria) => <input {...aria} name="clientIp" autoComplete="off" spellCheck={false} defaultValue={kept("clientIp", defaults.clientIp)} />}
            </FormField>
            <FormField id="connect-clientMac" label="Client MAC address" hint="Any common notation." error={errors.clientMac}>
              {(aria) => <input {...aria} name="clientMac" autoComplete="off" spellCheck={false} defaultValue={kept("clientMac", defaults.clientMac)} />}
            </FormField>
            <FormField
              id="connect-gateway"
              label="Gateway IP address"
              hint={props.gateways.length ? "The RAS Secure Gateway; suggestions come from the gateway exclusion rules." : "The RAS Secure Gateway the client connects through."}
              error={errors.gateway}
            >
              {(aria) => (
                <input {...aria} name="gateway" list="connect-gateways" autoComplete="off" spellCheck={false} defaultValue={kept("gateway", defaults.gateway)} />
              )}
            </FormField>
          </div>
          <datalist id="connect-gateways">
            {props.gateways.map((g) => (
              <option key={g.address} value={g.address} label={g.from ? `from the rule ${g.from}` : undefined} />
            ))}
          </datalist>
        </fieldset>
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Connecting…" : "Connect"}
        </button>
        <div role="status" aria-live="polite" className={pending ? styles.busy : "form-error"}>
          {pending ? "SafeNet is checking the password, then the portal decides…" : state.status === "error" ? state.message : null}
        </div>
      </form>
    </section>
  );
}
