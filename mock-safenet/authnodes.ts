import crypto from "node:crypto";
import { sql, type Sql } from "../lib/runtime/sql";
import type { AuthNode as AuthNodeView, CreateAuthNodeRequest } from "../lib/safenet/contract";
import { createAuthNodeRequestSchema } from "../lib/safenet/contract";
import { SafeNetError, badInput, notFound } from "./errors";
import { recordEvent } from "./events";
import type { Keyring } from "./keys";
import { nodeForAddress, parseNodeAddress, type AuthNode } from "./radius/nodes";

// Auth nodes (SafeNet's RADIUS clients) in the auth_nodes table. The shared secret is sealed under
// the master key like a seed (AAD: the node's id) and leaves this module only towards the RADIUS
// server: never in an answer, an event or a log line. The RADIUS server reads the table per packet
// (no cache), so a node added or removed on one instance counts on every instance sharing the
// database from the next packet on; the table is small (one row per NAS) and the read is one query.

interface Row {
  id: string;
  name: string;
  address: string;
  requireMessageAuthenticator: number;
  secretSealed: Buffer;
  createdAt: number;
}

const COLUMNS = sql`id, name, address, require_message_authenticator AS "requireMessageAuthenticator", secret_sealed AS "secretSealed", created_at AS "createdAt"`;

const aad = (id: string) => `auth-node:${id}`;

const view = (r: Row): AuthNodeView => ({
  id: r.id,
  name: r.name,
  address: r.address,
  requireMessageAuthenticator: r.requireMessageAuthenticator === 1,
  createdAt: new Date(Number(r.createdAt)).toISOString(),
});

/** The node's name for the first start's node (127.0.0.1, secret SAFENET_RADIUS_SECRET). */
export const LOCAL_NODE_NAME = "localhost";

export function makeAuthNodes(db: Sql, keys: Keyring) {
  const open = (r: Row): AuthNode => ({
    id: r.id,
    name: r.name,
    address: r.address,
    requireMessageAuthenticator: r.requireMessageAuthenticator === 1,
    secret: keys.open(Buffer.from(r.secretSealed), aad(r.id)).toString("utf8"),
  });

  async function insert(tx: Sql, input: { name: string; address: string; secret: string; requireMessageAuthenticator: boolean }, nowMs: number) {
    const id = crypto.randomUUID();
    const sealed = keys.seal(Buffer.from(input.secret, "utf8"), aad(id));
    const row = await tx.get<Row>(sql`INSERT INTO auth_nodes (id, name, address, require_message_authenticator, secret_sealed, created_at)
      VALUES (${id}, ${input.name}, ${input.address}, ${input.requireMessageAuthenticator ? 1 : 0}, ${sealed}, ${nowMs})
      ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`);
    if (!row) return undefined;
    const node = view(row);
    // The event names the node; the secret is not in it.
    await recordEvent(tx, { type: "authnode.added", result: "success", detail: { id: node.id, name: node.name, address: node.address, requireMessageAuthenticator: node.requireMessageAuthenticator } }, nowMs);
    return node;
  }

  return {
    async list(): Promise<AuthNodeView[]> {
      return (await db.all<Row>(sql`SELECT ${COLUMNS} FROM auth_nodes ORDER BY name`)).map(view);
    },

    /** 400 on a bad address or secret (the contract's sentence), 409 when the name is taken. */
    async create(body: unknown, nowMs = Date.now()): Promise<AuthNodeView> {
      const parsed = createAuthNodeRequestSchema.safeParse(body ?? {});
      if (!parsed.success) {
        // Never the value: a secret that is too short must not come back in the error.
        const details: Record<string, string> = Object.create(null);
        for (const issue of parsed.error.issues) {
          if (issue.code === "unrecognized_keys") for (const k of issue.keys) details[k] = "unknown field";
          else details[issue.path.join(".") || "body"] ??= issue.message;
        }
        throw badInput(`The auth node is not valid: check ${Object.keys(details).join(", ")}.`, details);
      }
      const input: CreateAuthNodeRequest = parsed.data;
      const address = parseNodeAddress(input.address);
      if (!address.ok) throw badInput(`The address is not valid: ${address.error}`, { address: address.error });
      const node = await db.transaction((tx) =>
        insert(tx, { name: parsed.data.name, address: address.value.normalized, secret: parsed.data.secret, requireMessageAuthenticator: parsed.data.requireMessageAuthenticator }, nowMs),
      );
      if (!node) throw new SafeNetError(409, "authnode_exists", `An auth node named "${parsed.data.name}" exists already; choose another name or remove that node first.`, { name: "is taken" });
      return node;
    },

    async remove(id: string, nowMs = Date.now()): Promise<AuthNodeView> {
      return db.transaction(async (tx) => {
        const row = await tx.get<Row>(sql`DELETE FROM auth_nodes WHERE id = ${id} RETURNING ${COLUMNS}`);
        if (!row) throw notFound(`The auth node "${id}"`, { id });
        const node = view(row);
        await recordEvent(tx, { type: "authnode.removed", result: "success", detail: { id: node.id, name: node.name, address: node.address } }, nowMs);
        return node;
      });
    },

    /** The node covering `ip` (the most specific block), secret opened: for the RADIUS server only. */
    async forAddress(ip: string): Promise<AuthNode | undefined> {
      const rows = await db.all<Row>(sql`SELECT ${COLUMNS} FROM auth_nodes`);
      const row = nodeForAddress(rows, ip);
      return row && open(row);
    },

    /**
     * The first start's node: 127.0.0.1 with SAFENET_RADIUS_SECRET, created only while the table is
     * empty. After that the nodes are the administrator's: a restart must not bring back a node they
     * removed, nor overwrite the secret they gave it. Instances starting at once on one database take
     * turns under a lock, so one of them creates it.
     */
    async ensureFirstNode(secret: string, nowMs = Date.now()): Promise<AuthNodeView | undefined> {
      return db.transaction(async (tx) => {
        await tx.lock("auth-nodes-first");
        const any = await tx.get(sql`SELECT id FROM auth_nodes LIMIT 1`);
        if (any) return undefined;
        return insert(tx, { name: LOCAL_NODE_NAME, address: "127.0.0.1", secret, requireMessageAuthenticator: true }, nowMs);
      });
    },
  };
}

export type AuthNodes = ReturnType<typeof makeAuthNodes>;
