import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/auth/session";
import { LIST_KINDS, LIST_NAMES, type ListKind } from "@/lib/mfa/rules";
import { DefaultsForm } from "./defaults-form";
import { ExclusionList, type ListEntry } from "./exclusion-list";
import { LIST_TITLES } from "./schemas";
import { TestConnectionPanel } from "./test-connection-panel";
import styles from "./exclusions.module.css";
import { store } from "@/lib/server/store";

export const metadata: Metadata = { title: "Exclusions" };

/** Entries rendered per list; beyond this the filter narrows them down. */
const SHOWN = 100;

const ADD_LABELS: Record<ListKind, string> = {
  users: "Add a user or group",
  clientIps: "Add a client IP address, range or network",
  macs: "Add a client MAC address or pattern",
  gateways: "Add a gateway IP address, range or network",
};

const HINTS: Record<ListKind, string> = {
  users: "A UPN (alice@corp.local), a logon name (CORP\\alice) or a group name (MFA Exempt); a group matches its direct members.",
  clientIps: "An IPv4 or IPv6 address (10.0.0.5), a range (10.0.0.1-10.0.0.99) or a CIDR block (10.0.0.0/8, 2001:db8::/32).",
  macs: "Any common notation (00:14:22:01:23:45, 0014.2201.2345); ?? stands for a whole byte, as in 00-14-22-01-??-??.",
  gateways: "The RAS Secure Gateway the client connects through: an address, a range or a CIDR block.",
};

export default async function ExclusionsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  await requireAdmin();
  const q = ((await searchParams).q ?? "").trim();
  const defaults = await store.getExclusionDefaults();
  const mfa = await store.getMfaSettings();
  const rules = await store.listExclusionRules();
  // Any add, removal or settings change alters this, so a shown test result can say it is out of date.
  const version = `${rules.length}:${rules.at(-1)?.id ?? 0}|${JSON.stringify(defaults)}|${mfa.provider}:${mfa.mode}`;
  const needle = q.toLowerCase();
  const lists = Object.fromEntries(LIST_KINDS.map((k) => [k, [] as ListEntry[]])) as Record<ListKind, ListEntry[]>;
  const totals = Object.fromEntries(LIST_KINDS.map((k) => [k, 0])) as Record<ListKind, number>;
  for (const r of rules) {
    totals[r.kind]++;
    if (needle && !`${r.value} ${r.label}`.toLowerCase().includes(needle)) continue;
    lists[r.kind].push({ id: r.id, value: r.value, label: r.label, createdBy: r.createdBy, createdAt: r.createdAt });
  }

  return (
    <section aria-labelledby="exclusions-title">
      <h1 id="exclusions-title">Exclusions</h1>
      <p>
        Choose which connections need multi-factor authentication. The lists are checked in order (users and groups, client
        IP, client MAC, gateway) and the first matching entry decides.
      </p>
      {mfa.provider === "none" && (
        <p className="notice">
          The MFA provider is None, so no connection needs MFA whatever these rules say. Choose SafeNet under{" "}
          <Link href="/admin/mfa">Multi-factor authentication</Link> to use them.
        </p>
      )}
      <DefaultsForm defaults={defaults} listNames={LIST_NAMES} />
      <TestConnectionPanel version={version} />

      <h2 id="lists-title">Exception lists</h2>
      <form role="search" aria-label="Find entries" className={styles.find}>
        <label htmlFor="find-q">Find entries</label>
        <input id="find-q" name="q" type="search" defaultValue={q} />
        <button type="submit" className="secondary">
          Find
        </button>
        {q && <Link href="/admin/exclusions">Show all entries</Link>}
      </form>
      {LIST_KINDS.map((kind) => (
        <ExclusionList
          key={kind}
          kind={kind}
          title={LIST_TITLES[kind]}
          addLabel={ADD_LABELS[kind]}
          hint={HINTS[kind]}
          enabled={defaults.enabled[kind]}
          entries={lists[kind].slice(0, SHOWN)}
          matching={lists[kind].length}
          total={totals[kind]}
          filter={q}
        />
      ))}
    </section>
  );
}
