import type { Metadata } from "next";
import { requireAdmin } from "@/lib/server/auth/session";
import { env } from "@/lib/runtime/env";
import { listRepositories } from "@/lib/server/safenet/check-connection";
import { MfaForm } from "./mfa-form";
import { store } from "@/lib/server/store";

export const metadata: Metadata = { title: "Multi-factor authentication" };

export default async function MfaPage() {
  await requireAdmin();
  const settings = await store.getMfaSettings();
  const grants = await store.openAdmissions();
  const repositories = await listRepositories(settings.tmsUrl, { url: settings.tmsUrl, apiKey: env().SAFENET_TMS_API_KEY });
  return (
    <section aria-labelledby="mfa-title">
      <h1 id="mfa-title">Multi-factor authentication</h1>
      <p>
        As in RAS Console › Connection › Multi-factor authentication. Changes apply to the next sign-in as soon as they are saved.
      </p>
      {grants.length > 0 && (
        <div role="note" aria-labelledby="break-glass-title" className="notice">
          <h2 id="break-glass-title">Break-glass sign-ins waiting</h2>
          <p>The host&apos;s operator let these administrators into this console once, with the domain password alone:</p>
          <ul>
            {grants.map((g) => (
              <li key={g.upn}>
                {g.upn}, until {new Date(g.expiresAt).toISOString().slice(0, 16).replace("T", " ")} UTC
              </li>
            ))}
          </ul>
        </div>
      )}
      <MfaForm settings={settings} repositories={repositories} />
    </section>
  );
}
