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
  const repositories = await listRepositories(settings.tmsUrl, { url: settings.tmsUrl, apiKey: env().SAFENET_TMS_API_KEY });
  return (
    <section aria-labelledby="mfa-title">
      <h1 id="mfa-title">Multi-factor authentication</h1>
      <p>
        As in RAS Console › Connection › Multi-factor authentication. Changes apply to the next sign-in as soon as they are saved.
      </p>
      <MfaForm settings={settings} repositories={repositories} />
    </section>
  );
}
