import type { Metadata } from "next";
import { requireAdmin } from "@/lib/server/auth/session";
import { errorSentence } from "@/lib/safenet/token-actions";
import { safenet } from "@/lib/server/safenet/endpoints";
import { AddAuthNodeForm } from "./add-form";
import { AuthNodeList } from "./node-list";

export const metadata: Metadata = { title: "Auth nodes" };

export default async function AuthNodesPage() {
  await requireAdmin();
  const nodes = await (await safenet())
    .listAuthNodes()
    .then((list) => ({ ok: true as const, list }))
    .catch((err: unknown) => ({ ok: false as const, message: errorSentence(err) }));
  return (
    <section aria-labelledby="auth-nodes-title">
      <h1 id="auth-nodes-title">Auth nodes</h1>
      <p>
        Auth nodes are the RADIUS clients SafeNet answers: VPN gateways, network access servers, RAS&apos;s RADIUS provider. A
        request from an address no node covers, or with another secret, gets no answer at all. Each node&apos;s shared secret is
        shown once, when it is added.
      </p>
      <h2>Nodes</h2>
      {nodes.ok ? (
        <AuthNodeList nodes={nodes.list} />
      ) : (
        <p role="alert" className="form-error">
          {nodes.message}
        </p>
      )}
      <h2>Add a node</h2>
      <AddAuthNodeForm />
    </section>
  );
}
