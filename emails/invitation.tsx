import { Heading, Link, Section, Text } from "@react-email/components";
import { Detail, EmailLayout, formatUtc, styles } from "./layout";

// The enrollment invitation an administrator sends: a single-use link to New Account Info, where
// the employee signs in with their own password and chooses their own PIN. It carries no secret
// beyond the link itself, which works once, for this user only, until `expiresAt`.

export interface InvitationEmailProps {
  displayName: string;
  upn: string;
  /** Who sent it, as the directory names them. */
  invitedBy: string;
  link: string;
  /** ISO time the link stops working. */
  expiresAt: string;
  portalUrl: string;
}

export const INVITATION_SUBJECT = "You are invited to set up your SafeNet token";

export default function InvitationEmail(props: InvitationEmailProps) {
  const { displayName, upn, invitedBy, link, expiresAt, portalUrl } = props;
  return (
    <EmailLayout preview="Set up your SafeNet MobilePASS token: open your invitation link." heading="Set up your SafeNet token" portalUrl={portalUrl}>
      <Text style={styles.paragraph}>Hello {displayName},</Text>
      <Text style={styles.paragraph}>
        {invitedBy} assigned you a SafeNet MobilePASS token. Remote desktop sign-in for {upn} will ask for your PIN and a
        one-time password, so set up your token now.
      </Text>

      <Section style={styles.details}>
        <Detail label="Your invitation link">
          <Link href={link} style={styles.url}>
            {link}
          </Link>
        </Detail>
        <Detail label="Works until">{formatUtc(expiresAt)}</Detail>
      </Section>

      <Heading as="h2" style={styles.heading2}>
        What to do
      </Heading>
      <ol style={styles.list}>
        <li style={styles.listItem}>Open the invitation link above.</li>
        <li style={styles.listItem}>Sign in as {upn} with your usual Windows password.</li>
        <li style={styles.listItem}>
          In New Account Info, choose your own OTP PIN. Nobody else, not even your administrator, ever learns it.
        </li>
        <li style={styles.listItem}>
          The activation email follows at once, with the seed file and activation key to activate MobilePASS.
        </li>
      </ol>

      <Text style={styles.small}>
        The link works once and only for {upn}. Did not expect this invitation? Do not open the link, and tell your administrator.
      </Text>
    </EmailLayout>
  );
}

InvitationEmail.PreviewProps = {
  displayName: "Dave Dawson",
  upn: "dave@corp.local",
  invitedBy: "Bob Brown",
  link: "http://127.0.0.1:3000/invite/pR3v1eWl1nKn0tAr3aLt0k3nXyZ0123456789abcd",
  expiresAt: "2026-05-11T10:15:42.000Z",
  portalUrl: "http://127.0.0.1:3000",
} satisfies InvitationEmailProps;
