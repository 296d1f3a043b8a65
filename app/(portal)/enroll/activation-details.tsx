import type { ActivationView } from "@/lib/enroll/status";
import styles from "./enroll.module.css";

// The one-time activation block: MobilePASS (seed file + activation key) or an authenticator app
// (QR code or manual key). Built from the action's answer; nothing of it is stored.

export function ActivationDetails({ activation: a, split }: { activation: ActivationView; split: boolean }) {
  const seedHref = `data:${a.seedFile.contentType};base64,${a.seedFile.base64}`;
  const qrSrc = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(a.qrSvg)}`;
  const codeKind =
    a.otpMode === "time" ? `time-based, ${a.digits} digits, a new code every 30 seconds` : `event-based, ${a.digits} digits, counter 0`;
  return (
    <>
      <p className={`notice ${styles.once}`}>
        <strong>Shown only once:</strong> this QR code, key and seed file will not be shown again. Scan the code or download the
        seed file now, before you leave this page.
      </p>
      <MailNote activation={a} split={split} />

      <div className={styles.methods}>
        <section aria-labelledby="method-mobilepass" className={styles.method}>
          <h3 id="method-mobilepass">MobilePASS</h3>
          <ol>
            <li>
              <a href={seedHref} download={a.seedFile.filename}>
                Download the seed file {a.seedFile.filename}
              </a>
            </li>
            <li>
              <a href="/mobilepass" target="_blank" rel="noopener">
                Open MobilePASS (simulated, opens in a new tab)
              </a>{" "}
              and load the seed file with the activation key{split ? " shown below" : a.activationKey ? " below" : " from the email"}.
            </li>
          </ol>
          {a.activationKey && (
            <p>
              Activation key: <code className={styles.key} data-testid="activation-key">{a.activationKey}</code>
            </p>
          )}
        </section>

        <section aria-labelledby="method-app" className={styles.method}>
          <h3 id="method-app">Authenticator app</h3>
          {/* A plain img: the QR code is an inline SVG data URI rendered on the server. */}
          <img className={styles.qr} src={qrSrc} alt="QR code for authenticator apps" width={192} height={192} />
          <p>
            Cannot scan? Enter this key ({codeKind}):{" "}
            <code className={styles.key} data-testid="manual-key">
              {a.manualKey}
            </code>
          </p>
        </section>
      </div>
    </>
  );
}

function MailNote({ activation: a, split }: { activation: ActivationView; split: boolean }) {
  if (!a.mail.sent) return <p className="form-error">{a.mail.error}</p>;
  return (
    <p>
      {split
        ? `The activation email to ${a.mail.to} has the seed file; for your security the activation key is shown only here.`
        : `The activation email to ${a.mail.to} has the activation key and the seed file as well.`}
      {a.mail.mailbox && (
        <>
          {" "}
          <a href="/mailbox" target="_blank" rel="noopener">
            Open the demo mailbox (new tab)
          </a>
          .
        </>
      )}
    </p>
  );
}
