import { Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

// Says that the PIN changed, never what it is.

export interface PinChangedEmailProps {
  displayName: string;
  serial: string;
  by: "self" | "admin";
  portalUrl: string;
}

export default function PinChangedEmail({ displayName, serial, by, portalUrl }: PinChangedEmailProps) {
  return (
    <EmailLayout preview={`The PIN of your SafeNet token ${serial} was changed.`} heading="Your token PIN was changed" portalUrl={portalUrl}>
      <Text style={styles.paragraph}>Hello {displayName},</Text>
      <Text style={styles.paragraph}>
        {by === "self"
          ? `You changed the PIN of your MobilePASS token ${serial}.`
          : `An administrator changed the PIN of your MobilePASS token ${serial}.`}{" "}
        From your next sign-in, enter the new PIN followed by the one-time password.
      </Text>
      <Text style={styles.notice}>
        {by === "self"
          ? "If you did not change your PIN, tell your administrator at once: someone may be using your account."
          : "If you did not ask for this change or do not know the new PIN, contact your administrator."}
      </Text>
    </EmailLayout>
  );
}

PinChangedEmail.PreviewProps = {
  displayName: "Alice Andersen",
  serial: "4F1C9A7E20B3D6C8",
  by: "self",
  portalUrl: "http://127.0.0.1:3000",
} satisfies PinChangedEmailProps;
