import { Link, Section, Text } from "@react-email/components";
import { SEND_NEW_ACTIVATION } from "../lib/enroll/status";
import { Detail, EmailLayout, formatUtc, styles } from "./layout";

// The notice of a change to a user's second factor, sent to the address the directory holds
// (NIST SP 800-63B, notice on binding): what happened, when, from where, and what to do if it was
// not them. It never carries a secret: no activation key, PIN, passcode or seed.

export type FactorChange =
  | "issued"
  | "reissued"
  | "activated"
  | "pin-changed"
  | "lost"
  | "revoked"
  | "locked"
  | "suspended"
  | "reactivated"
  | "unlocked"
  | "resynced"
  | "deleted";

export interface SecurityNoticeEmailProps {
  displayName: string;
  change: FactorChange;
  serial: string;
  /** ISO time of the change. */
  at: string;
  /** The client address of the request that made the change. */
  clientIp: string;
  by: "self" | "admin";
  /** Where the activation email went, for a token issued or reissued; an address is not a secret. */
  activationTo?: string;
  /** For a lock: when it ends by itself; null when only an administrator can unlock it. */
  lockedUntil?: string | null;
  portalUrl: string;
}

/** What happened, as the subject's and the heading's words. */
export const CHANGE_TITLES: Record<FactorChange, (serial: string) => string> = {
  issued: (s) => `A new SafeNet token ${s} was issued to your account`,
  reissued: (s) => `A new activation was sent for your SafeNet token ${s}`,
  activated: (s) => `Your SafeNet token ${s} is active`,
  "pin-changed": (s) => `The PIN of your SafeNet token ${s} was changed`,
  lost: (s) => `Your SafeNet token ${s} was revoked`,
  revoked: (s) => `Your SafeNet token ${s} was revoked`,
  locked: (s) => `Your SafeNet token ${s} is locked`,
  suspended: (s) => `Your SafeNet token ${s} was suspended`,
  reactivated: (s) => `Your SafeNet token ${s} was reactivated`,
  unlocked: (s) => `Your SafeNet token ${s} was unlocked`,
  resynced: (s) => `Your SafeNet token ${s} was resynchronised`,
  deleted: (s) => `Your SafeNet token ${s} was deleted`,
};

/** Changes after which the token (or a new activation of it) can sign in: someone may hold it. */
const LEAVES_A_WORKING_TOKEN = new Set<FactorChange>(["issued", "reissued", "activated", "pin-changed", "reactivated", "unlocked", "resynced"]);

function whatHappened({ change, serial, by, activationTo }: SecurityNoticeEmailProps): string {
  const who = by === "self" ? "You" : "An administrator";
  switch (change) {
    case "issued":
      return `${by === "self" ? "You enrolled" : "An administrator enrolled"} a new MobilePASS token ${serial} for your account${activationTo ? `, and its activation email went to ${activationTo}` : ""}. It signs in once it is activated.`;
    case "reissued":
      return `${who} sent a new activation (a new seed and activation key) for your MobilePASS token ${serial}${activationTo ? `, and its activation email went to ${activationTo}` : ""}. The previous seed no longer works${activationTo ? "" : ", and the token waits for you to activate it again"}.`;
    case "activated":
      return `Your MobilePASS token ${serial} is now active. From your next sign-in, enter your PIN followed by the one-time password that MobilePASS shows.`;
    case "pin-changed":
      return `${by === "self" ? "You changed" : "An administrator changed"} the PIN of your MobilePASS token ${serial}. From your next sign-in, enter the new PIN followed by the one-time password.`;
    case "lost":
      return `You reported your MobilePASS token ${serial} as lost, so it was revoked. It can no longer be used to sign in.`;
    case "revoked":
      return `An administrator revoked your MobilePASS token ${serial} and marked it as lost. It can no longer be used to sign in.`;
    case "locked":
      return `Your MobilePASS token ${serial} was locked after too many wrong passcodes. While it is locked, even a right passcode is refused.`;
    case "suspended":
      return `${who} suspended your MobilePASS token ${serial}. It cannot be used to sign in until it is reactivated.`;
    case "reactivated":
      return `${who} reactivated your MobilePASS token ${serial}. It signs in again.`;
    case "unlocked":
      return `${who} unlocked your MobilePASS token ${serial}. It signs in again.`;
    case "resynced":
      return `${who} resynchronised your MobilePASS token ${serial} with the server's clock or counter.`;
    case "deleted":
      return `${who} deleted your MobilePASS token ${serial}. It can no longer be used to sign in.`;
  }
}

function lockSentence(lockedUntil: string | null | undefined): string {
  return lockedUntil
    ? `It unlocks by itself at ${formatUtc(lockedUntil)}. Try again after that time.`
    : "It stays locked until an administrator unlocks it. Ask your administrator for help.";
}

export default function SecurityNoticeEmail(props: SecurityNoticeEmailProps) {
  const { displayName, change, serial, at, clientIp, by, activationTo, lockedUntil, portalUrl } = props;
  const base = portalUrl.replace(/\/+$/, "");
  const title = CHANGE_TITLES[change](serial);
  const working = LEAVES_A_WORKING_TOKEN.has(change);
  return (
    <EmailLayout preview={`${title}. If this was not you, act now.`} heading={title} portalUrl={portalUrl}>
      <Text style={styles.paragraph}>Hello {displayName},</Text>
      <Text style={styles.paragraph}>{whatHappened(props)}</Text>
      {change === "reissued" && !activationTo && (
        <Text style={styles.notice}>
          What to do next: sign in at{" "}
          <Link href={`${base}/enroll`} style={styles.url}>
            {`${base}/enroll`}
          </Link>{" "}
          with your password, open New Account Info and choose {SEND_NEW_ACTIVATION}. You choose your PIN there, and the
          activation email with the new seed file and activation key follows at once.
        </Text>
      )}
      {change === "locked" && <Text style={styles.notice}>{lockSentence(lockedUntil)}</Text>}
      <Section style={styles.details}>
        <Detail label="When">{formatUtc(at, { seconds: true })}</Detail>
        <Detail label="From client address">{clientIp || "unknown"}</Detail>
        <Detail label="By">{change === "locked" ? "failed sign-in attempts" : by === "self" ? "your account, signed in with your password" : "an administrator"}</Detail>
        <Detail label="Token serial">{serial}</Detail>
      </Section>
      <Text style={styles.heading2}>If this was not you</Text>
      {working ? (
        <Text style={styles.paragraph}>
          Someone else may know your password. Report the token lost at once under My token at{" "}
          <Link href={`${base}/token`} style={styles.url}>
            {`${base}/token`}
          </Link>{" "}
          (it stops working immediately), then change your password and contact your administrator.
        </Text>
      ) : (
        <Text style={styles.paragraph}>
          Contact your administrator at once and change your password: someone else may know it.
          {change === "lost" || change === "revoked" || change === "deleted" ? (
            <>
              {" "}
              To sign in with SafeNet again, enroll a new token at{" "}
              <Link href={`${base}/enroll`} style={styles.url}>
                {`${base}/enroll`}
              </Link>
              .
            </>
          ) : null}
        </Text>
      )}
    </EmailLayout>
  );
}

SecurityNoticeEmail.PreviewProps = {
  displayName: "Alice Andersen",
  change: "issued",
  serial: "4F1C9A7E20B3D6C8",
  at: "2026-05-04T10:15:42.000Z",
  clientIp: "203.0.113.24",
  by: "self",
  activationTo: "alice.andersen@example.com",
  lockedUntil: null,
  portalUrl: "http://127.0.0.1:3000",
} satisfies SecurityNoticeEmailProps;
