import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface TokenLockedEmailProps {
  displayName: string;
  serial: string;
  /** ISO time when the lock ends by itself; null when only an administrator can unlock it. */
  lockedUntil: string | null;
  portalUrl: string;
}

// UTC, spelled out: the mail client's time zone is unknown when the email is rendered.
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" })} UTC`;
}

export default function TokenLockedEmail({ displayName, serial, lockedUntil, portalUrl }: TokenLockedEmailProps) {
  return (
    <EmailLayout preview={`Your SafeNet token ${serial} is locked.`} heading="Your SafeNet token is locked" portalUrl={portalUrl}>
      <Text style={styles.paragraph}>Hello {displayName},</Text>
      <Text style={styles.paragraph}>
        Your MobilePASS token {serial} was locked after too many wrong passcodes. While it is locked, even a right passcode
        is refused.
      </Text>
      <Text style={styles.notice}>
        {lockedUntil
          ? `It unlocks by itself at ${formatUtc(lockedUntil)}. Try again after that time.`
          : "It stays locked until an administrator unlocks it. Ask your administrator for help."}
      </Text>
      <Text style={styles.paragraph}>
        If these attempts were not yours, tell your administrator: someone may know your password or PIN.
      </Text>
    </EmailLayout>
  );
}

TokenLockedEmail.PreviewProps = {
  displayName: "Alice Andersen",
  serial: "4F1C9A7E20B3D6C8",
  lockedUntil: "2026-05-04T10:25:00.000Z",
  portalUrl: "http://127.0.0.1:3000",
} satisfies TokenLockedEmailProps;
