import type { Metadata } from "next";
import { headers } from "next/headers";
import { requireUser } from "@/lib/server/auth/session";
import { gatewayOptions } from "@/lib/connect/connection";
import { clientAddress } from "@/lib/runtime/request-info";
import { env } from "@/lib/runtime/env";
import { radiusUnavailable } from "@/lib/connect/radius";
import { ConnectFlow } from "./connect-flow";
import { canTestAnyone } from "./logon";
import { store } from "@/lib/server/store";

export const metadata: Metadata = { title: "Connection test" };

/** The request's address, unless it could not be told (`unknown` under `next dev`). */
const clientIpOf = (address: string) => (address === "unknown" ? "" : address);

export default async function ConnectPage() {
  const viewer = await requireUser();
  const anyone = canTestAnyone(viewer);
  const gateways = gatewayOptions((await store.listExclusionRules()).filter((r) => r.kind === "gateways").map((r) => r.value));
  return (
    <section aria-labelledby="connect-title">
      <h1 id="connect-title">Connection test</h1>
      <p>
        Play out a Parallels Client logon with the current MFA settings and rules: the domain password, the decision and its
        checks, then New Account Info or the OTP prompt and SafeNet&apos;s answer. Passcodes sent here count like real ones, and
        every run is recorded in the event timeline.
      </p>
      {!anyone && <p className="notice">You can test your own logon, {viewer.upn}. Administrators can test any user.</p>}
      <ConnectFlow
        viewerUpn={viewer.upn}
        canTestAnyone={anyone}
        gateways={gateways}
        // The client as it really is: a made-up MAC or a gateway taken from a rule would make a plain test "allowed".
        defaults={{ clientIp: clientIpOf(clientAddress(await headers())), clientMac: "", gateway: "" }}
        radiusUnavailable={radiusUnavailable(env().SAFENET_RADIUS_PORT, env().SAFENET_RADIUS_SECRET)}
      />
    </section>
  );
}
