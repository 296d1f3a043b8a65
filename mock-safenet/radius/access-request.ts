import type { Result } from "../../lib/net/ip";
import { canonicalIp } from "./nodes";
import { ATTR, valuesOf, type Packet } from "../../lib/radius/packet";

// What the server reads from an Access-Request. Attributes that RFC 2865 §5.44 allows once appear at
// most once; a packet that repeats one is malformed.

export interface AccessRequestFields {
  username?: string;
  /** Still hidden with the shared secret (RFC 2865 §5.2). */
  password?: Buffer;
  chap: boolean;
  state?: string;
  nasIp?: string;
  nasIdentifier?: string;
  callingStationId?: string;
}

const ONCE = [ATTR.userName, ATTR.userPassword, ATTR.chapPassword, ATTR.nasIpAddress, ATTR.state, ATTR.callingStationId, ATTR.nasIdentifier, ATTR.nasIpv6Address];

// Text for the log and the validator: control characters out, so a NAS cannot forge log lines.
const text = (b: Buffer | undefined) => (b === undefined ? undefined : b.toString("utf8").replace(/[\u0000-\u001f\u007f]/g, "?"));

function nasAddress(v4: Buffer | undefined, v6: Buffer | undefined): string | undefined {
  if (v4?.length === 4) return [...v4].join(".");
  if (v6?.length === 16) return canonicalIp(Array.from({ length: 8 }, (_, i) => v6.readUInt16BE(i * 2).toString(16)).join(":"));
  return undefined;
}

export function readAccessRequest(p: Packet): Result<AccessRequestFields> {
  for (const type of ONCE) {
    if (valuesOf(p, type).length > 1) return { ok: false, error: `attribute ${type} appears more than once` };
  }
  const one = (type: number) => valuesOf(p, type)[0] as Buffer | undefined;
  const state = one(ATTR.state);
  return {
    ok: true,
    value: {
      username: text(one(ATTR.userName)),
      password: one(ATTR.userPassword),
      chap: one(ATTR.chapPassword) !== undefined,
      // The validator's states are ASCII tokens; other octets cannot name one, and fail there as unknown.
      state: state === undefined ? undefined : state.toString("latin1"),
      nasIp: nasAddress(one(ATTR.nasIpAddress), one(ATTR.nasIpv6Address)),
      nasIdentifier: text(one(ATTR.nasIdentifier)),
      callingStationId: text(one(ATTR.callingStationId)),
    },
  };
}
