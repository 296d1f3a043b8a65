import { Heading, Link, Section, Text } from "@react-email/components";
import { Detail, EmailLayout, styles } from "./layout";

// The activation email of the enrollment (New Account Info): everything the employee needs to
// activate MobilePASS. With `split`, the activation key and PIN stay out of the email and are shown
// only in the portal, so a read mailbox alone is not enough to activate the token.

export interface ActivationEmailProps {
  displayName: string;
  upn: string;
  serial: string;
  otpMode: "time" | "event";
  activationKey: string;
  pin: string;
  downloadUrl: string;
  portalUrl: string;
  split: boolean;
}

export const SPLIT_SENTENCE =
  "For your security, the activation key and the application PIN are not in this email: they are shown only in the portal.";

export function seedFilename(serial: string): string {
  return `${serial}.pskc`;
}

function CodeHint({ otpMode }: { otpMode: ActivationEmailProps["otpMode"] }) {
  return otpMode === "time" ? (
    <>This is a time-based token: MobilePASS shows a new one-time password every 30 seconds, so use the code on screen.</>
  ) : (
    <>This is an event-based token: press Generate in MobilePASS each time you need a one-time password. Each code works once.</>
  );
}

export default function ActivationEmail(props: ActivationEmailProps) {
  const { displayName, upn, serial, otpMode, activationKey, pin, downloadUrl, portalUrl, split } = props;
  const seed = seedFilename(serial);
  return (
    <EmailLayout
      preview={`Your SafeNet MobilePASS token ${serial} is ready to activate.`}
      heading="Activate your SafeNet token"
      portalUrl={portalUrl}
    >
      <Text style={styles.paragraph}>Hello {displayName},</Text>
      <Text style={styles.paragraph}>
        A SafeNet MobilePASS token was assigned to {upn}. This email contains all required information to activate SafeNet
        authentication for your remote desktop sign-in.
      </Text>

      {split && (
        <Text style={styles.notice}>
          {SPLIT_SENTENCE} Use the ones the portal showed you when you enrolled at{" "}
          <Link href={portalUrl} style={styles.url}>
            {portalUrl}
          </Link>
          .
        </Text>
      )}

      <Section style={styles.details}>
        <Detail label="Token serial">{serial}</Detail>
        {!split && <Detail label="Activation key">{activationKey}</Detail>}
        {!split && <Detail label="Application PIN">{pin}</Detail>}
        <Detail label="Seed file (attached)">{seed}</Detail>
      </Section>

      <Text style={styles.paragraph}>
        MobilePASS download link:{" "}
        <Link href={downloadUrl} style={styles.url}>
          {downloadUrl}
        </Link>
      </Text>

      <Heading as="h2" style={styles.heading2}>
        How to activate
      </Heading>
      <ol style={styles.list}>
        <li style={styles.listItem}>
          Download MobilePASS from the link above and open it.
        </li>
        <li style={styles.listItem}>
          Login with domain credentials: sign in as {upn} with your usual Windows password.
        </li>
        <li style={styles.listItem}>
          Place the attached seed file in the same folder as the MobilePASS client ({seed}).
        </li>
        <li style={styles.listItem}>
          {split ? (
            <>Open MobilePASS and enter the activation key and your application PIN shown in the portal.</>
          ) : (
            <>
              Open MobilePASS and enter the activation key {activationKey} and your application PIN {pin}.
            </>
          )}{" "}
          <CodeHint otpMode={otpMode} />
        </li>
        <li style={styles.listItem}>
          Enter the One-Time Password to log into the RD Session Host Connection: type your PIN followed by the code
          MobilePASS shows. Your first right code activates the token.
        </li>
      </ol>

      <Text style={styles.small}>
        Did not ask for this token? Tell your administrator, who can revoke it.
      </Text>
    </EmailLayout>
  );
}

ActivationEmail.PreviewProps = {
  displayName: "Alice Andersen",
  upn: "alice@corp.local",
  serial: "4F1C9A7E20B3D6C8",
  otpMode: "time",
  activationKey: "Qw7rT2mZ9xKp4LbN",
  pin: "4089",
  downloadUrl: "http://127.0.0.1:4010/TMSService/ClientDownload/MobilePASSWin.exe",
  portalUrl: "http://127.0.0.1:3000",
  split: false,
} satisfies ActivationEmailProps;
