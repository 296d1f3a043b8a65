import { Link, Text } from "@react-email/components";
import { EmailLayout, styles } from "./layout";

export interface TokenRevokedEmailProps {
  displayName: string;
  serial: string;
  by: "self" | "admin";
  portalUrl: string;
}

export default function TokenRevokedEmail({ displayName, serial, by, portalUrl }: TokenRevokedEmailProps) {
  const enrollUrl = `${portalUrl.replace(/\/+$/, "")}/enroll`;
  return (
    <EmailLayout preview={`Your SafeNet token ${serial} was revoked.`} heading="Your SafeNet token was revoked" portalUrl={portalUrl}>
      <Text style={styles.paragraph}>Hello {displayName},</Text>
      <Text style={styles.paragraph}>
        {by === "self"
          ? `You reported your MobilePASS token ${serial} as lost, so it was revoked.`
          : `An administrator revoked your MobilePASS token ${serial} and marked it as lost.`}{" "}
        It can no longer be used to sign in.
      </Text>
      <Text style={styles.paragraph}>
        To sign in with SafeNet again, enroll a new token in the portal:{" "}
        <Link href={enrollUrl} style={styles.url}>
          {enrollUrl}
        </Link>
      </Text>
      {by === "admin" && (
        <Text style={styles.paragraph}>If you do not know why this happened, ask your administrator.</Text>
      )}
      {by === "self" && (
        <Text style={styles.paragraph}>If you did not report the token as lost, tell your administrator at once.</Text>
      )}
    </EmailLayout>
  );
}

TokenRevokedEmail.PreviewProps = {
  displayName: "Alice Andersen",
  serial: "4F1C9A7E20B3D6C8",
  by: "self",
  portalUrl: "http://127.0.0.1:3000",
} satisfies TokenRevokedEmailProps;
