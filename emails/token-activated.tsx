import { Link, Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface TokenActivatedEmailProps {
  displayName: string;
  serial: string;
  portalUrl: string;
}

export default function TokenActivatedEmail({ displayName, serial, portalUrl }: TokenActivatedEmailProps) {
  return (
    <EmailLayout preview={`Your SafeNet token ${serial} is active.`} heading="Your SafeNet token is active" portalUrl={portalUrl}>
      <Text style={styles.paragraph}>Hello {displayName},</Text>
      <Text style={styles.paragraph}>
        Your MobilePASS token {serial} is now active. From your next sign-in, enter your PIN followed by the one-time password
        that MobilePASS shows.
      </Text>
      <Text style={styles.paragraph}>
        If you did not activate this token, tell your administrator at once, or report it as lost in the portal at{" "}
        <Link href={portalUrl} style={styles.url}>
          {portalUrl}
        </Link>
        .
      </Text>
    </EmailLayout>
  );
}

TokenActivatedEmail.PreviewProps = {
  displayName: "Alice Andersen",
  serial: "4F1C9A7E20B3D6C8",
  portalUrl: "http://127.0.0.1:3000",
} satisfies TokenActivatedEmailProps;
