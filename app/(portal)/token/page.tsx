import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { formatWhen } from "@/app/admin/users/format";
import { requireUser } from "@/lib/server/auth/session";
import { currentToken } from "@/lib/enroll/status";
import { pinLengths } from "@/lib/server/enroll/status";
import { type Token, type User } from "@/lib/safenet/contract";
import { errorSentence } from "@/lib/safenet/token-actions";
import { TokenSelfService } from "./token-self-service";
import styles from "./token.module.css";
import { store } from "@/lib/server/store";
import { safenet } from "@/lib/server/safenet/endpoints";

export const metadata: Metadata = { title: "My token" };
export const dynamic = "force-dynamic";

const STATE_SENTENCES: Record<Token["state"], string> = {
  Active: "It works: sign in with your PIN followed by the code MobilePASS shows.",
  Assigned: "It waits for activation: enter your first passcode on the enrollment page.",
  Suspended: "An administrator suspended it; ask them to reactivate it.",
  Locked: "It is locked after too many wrong passcodes; it unlocks by itself after a while, or an administrator can unlock it.",
  Lost: "It was reported lost and no longer works. Enroll a new token.",
  Inventory: "It is not assigned to you.",
};

export default async function MyTokenPage() {
  const viewer = await requireUser();
  const settings = await store.getMfaSettings();
  let user: User;
  try {
    user = await (await safenet()).getUser(viewer.upn);
  } catch (err) {
    return <Frame><p className="form-error">{errorSentence(err)} Reload the page in a moment.</p></Frame>;
  }
  const lost = user.tokens.filter((t) => t.state === "Lost").sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const token = currentToken(user) ?? lost[0] ?? null;

  return (
    <Frame>
      {settings.provider === "none" && <p className="notice">Multi-factor authentication is switched off for now: you sign in with your password alone.</p>}
      {token ? (
        <section aria-labelledby="facts-title">
          <h2 id="facts-title">Token {token.serial}</h2>
          <dl className={styles.facts}>
            <dt>State</dt>
            <dd data-testid="token-state">{token.state}</dd>
            <dt>Serial</dt>
            <dd>
              <code>{token.serial}</code>
            </dd>
            <dt>Type</dt>
            <dd>
              {token.type}, {token.otpMode === "time" ? "time-based" : "event-based"}, {token.otpLength} digits
            </dd>
            <dt>Activated</dt>
            <dd>{formatWhen(token.activatedAt) ?? "Not yet"}</dd>
            <dt>Last used</dt>
            <dd>{formatWhen(token.lastUsedAt) ?? "Never"}</dd>
          </dl>
          <p>{STATE_SENTENCES[token.state]}</p>
        </section>
      ) : (
        <p>You have no SafeNet token yet.</p>
      )}
      <TokenSelfService
        token={token ? { serial: token.serial, state: token.state, otpMode: token.otpMode } : null}
        user={{ upn: user.upn, displayName: user.displayName, email: user.email }}
        settings={{ tokenType: settings.tokenType, splitDelivery: settings.splitDelivery }}
        pinLengths={await pinLengths()}
      />
    </Frame>
  );
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <section aria-labelledby="token-title">
      <h1 id="token-title">My token</h1>
      {children}
      <p>
        <Link href="/">Back to the start page</Link>
      </p>
    </section>
  );
}
