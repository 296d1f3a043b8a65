import type { TokenState } from "@/lib/safenet/contract";

/** A token as this page shows it: dates already formatted on the server. */
export interface TokenView {
  serial: string;
  type: string;
  otpMode: "time" | "event";
  otpLength: number;
  state: TokenState;
  failCount: number;
  lockedUntil: string | null;
  createdAt: string | null;
  activatedAt: string | null;
  lastUsedAt: string | null;
}

export function TokenFacts({ token: t }: { token: TokenView }) {
  const none = <span className="muted">—</span>;
  return (
    <table>
      <caption className="muted">Details of token {t.serial}</caption>
      <tbody>
        <tr>
          <th scope="row">Serial</th>
          <td>
            <code>{t.serial}</code>
          </td>
        </tr>
        <tr>
          <th scope="row">Type</th>
          <td>
            {t.type}, {t.otpMode === "time" ? "time-based" : "event-based"}, {t.otpLength} digits
          </td>
        </tr>
        <tr>
          <th scope="row">State</th>
          <td data-testid="token-state">{t.state}</td>
        </tr>
        <tr>
          <th scope="row">Failed attempts</th>
          <td>{t.failCount}</td>
        </tr>
        <tr>
          <th scope="row">Locked until</th>
          <td>{t.lockedUntil ?? none}</td>
        </tr>
        <tr>
          <th scope="row">Created</th>
          <td>{t.createdAt ?? none}</td>
        </tr>
        <tr>
          <th scope="row">Activated</th>
          <td>{t.activatedAt ?? "Not yet"}</td>
        </tr>
        <tr>
          <th scope="row">Last used</th>
          <td>{t.lastUsedAt ?? "Never"}</td>
        </tr>
      </tbody>
    </table>
  );
}
