import { Body, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";

// The frame every portal email shares: one 560px column, system fonts, real text, and colours from
// the portal's palette with at least 7:1 contrast on white, so it reads well in narrow mail clients.
// (No default export here: `email dev` lists only files that have one.)

export const palette = {
  brand: "#0b3d91",
  text: "#1a1a1a",
  muted: "#4a4a4a",
  surface: "#f4f6f8",
  border: "#c4ccd4",
  warning: "#a4161a",
};

const font = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const mono = "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";

export const styles = {
  paragraph: { fontSize: "16px", lineHeight: "24px", color: palette.text, margin: "0 0 16px" },
  small: { fontSize: "14px", lineHeight: "20px", color: palette.muted, margin: "0 0 12px" },
  link: { color: palette.brand, textDecoration: "underline" },
  // Long URLs would otherwise widen the table past a phone's screen.
  url: { color: palette.brand, textDecoration: "underline", wordBreak: "break-all" as const },
  details: {
    backgroundColor: palette.surface,
    border: `1px solid ${palette.border}`,
    borderRadius: "4px",
    padding: "12px 16px",
    margin: "0 0 20px",
  },
  label: { fontSize: "13px", lineHeight: "18px", color: palette.muted, margin: "8px 0 0", textTransform: "uppercase" as const },
  value: { fontSize: "18px", lineHeight: "26px", color: palette.text, margin: "0", fontFamily: mono, wordBreak: "break-all" as const },
  heading2: { fontSize: "18px", lineHeight: "26px", color: palette.text, margin: "24px 0 8px" },
  list: { fontSize: "16px", lineHeight: "24px", color: palette.text, margin: "0 0 16px", paddingLeft: "24px" },
  listItem: { margin: "0 0 10px" },
  notice: {
    borderLeft: `4px solid ${palette.brand}`,
    backgroundColor: palette.surface,
    padding: "10px 14px",
    margin: "0 0 20px",
    fontSize: "16px",
    lineHeight: "24px",
    color: palette.text,
  },
} satisfies Record<string, CSSProperties>;

// UTC, spelled out: the mail client's time zone is unknown when the email is rendered.
export function formatUtc(iso: string, { seconds = false } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: seconds ? "medium" : "short" })} UTC`;
}

/** One labelled value in a details box, e.g. "Token serial" and the serial. */
export function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Text style={styles.label}>{label}</Text>
      <Text style={styles.value}>{children}</Text>
    </>
  );
}

export interface EmailLayoutProps {
  /** The inbox preview line; never a secret. */
  preview: string;
  heading: string;
  portalUrl?: string;
  children: ReactNode;
}

export function EmailLayout({ preview, heading, portalUrl, children }: EmailLayoutProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <title>{heading}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="supported-color-schemes" content="light" />
      </Head>
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: "#ffffff", margin: "0", padding: "0", fontFamily: font }}>
        <Container style={{ maxWidth: "560px", width: "100%", margin: "0 auto", padding: "0" }}>
          <Section style={{ backgroundColor: palette.brand, padding: "16px 24px" }}>
            <Text style={{ color: "#ffffff", fontSize: "20px", lineHeight: "28px", fontWeight: 700, margin: "0" }}>
              SafeNet Login portal
            </Text>
          </Section>
          <Section style={{ padding: "24px" }}>
            <Heading as="h1" style={{ fontSize: "24px", lineHeight: "32px", color: palette.text, margin: "0 0 16px" }}>
              {heading}
            </Heading>
            {children}
          </Section>
          <Section style={{ padding: "0 24px 32px" }}>
            <Hr style={{ borderColor: palette.border, margin: "0 0 16px" }} />
            <Text style={styles.small}>
              Never share your PIN, activation key or seed file. Your administrators will never ask you for them.
            </Text>
            <Text style={styles.small}>
              Sent by the SafeNet Login portal
              {portalUrl ? (
                <>
                  {" "}
                  at{" "}
                  <Link href={portalUrl} style={styles.url}>
                    {portalUrl}
                  </Link>
                </>
              ) : null}
              .
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}
