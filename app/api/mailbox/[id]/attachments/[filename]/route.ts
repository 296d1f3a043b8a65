import { authorizeRequest } from "@/lib/server/auth/session";
import { canReadMessage, fetchAttachment, mailSinkConfigured } from "@/lib/server/mail/mailbox";

// Downloads one attachment of the demo mailbox (a seed file, typically). The viewer must be signed
// in, and an employee may only fetch attachments of messages addressed to their own email.

// The sink's ids are short base64url strings; anything else names no message, so it is not sent on.
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_FILENAME = 255;

const refuse = (status: number, code: string, message: string) => Response.json({ error: { code, message } }, { status });

function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function GET(_request: Request, { params }: { params: Promise<{ id: string; filename: string }> }) {
  const auth = await authorizeRequest("enrollee");
  if ("refusal" in auth) return auth.refusal;
  const { viewer } = auth;
  if (!mailSinkConfigured()) return refuse(404, "not_found", "There is no demo mailbox: the portal sends its emails to a real mail server.");

  const { id, filename } = await params;
  const notFound = () => refuse(404, "not_found", "There is no such attachment in your mailbox. Reload the mailbox and try again.");
  if (!MESSAGE_ID.test(id) || filename.length === 0 || filename.length > MAX_FILENAME) return notFound();
  try {
    // 404 rather than 403, so another person's message ids reveal nothing.
    if (!(await canReadMessage(viewer, id))) return notFound();
    const upstream = await fetchAttachment(id, filename);
    if (!upstream) return notFound();
    return new Response(upstream.body, {
      headers: {
        "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
        "content-disposition": contentDisposition(filename),
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
        // Never rendered as a page of the portal, whatever the sender claimed the type was.
        "content-security-policy": "sandbox",
      },
    });
  } catch {
    return refuse(502, "mailbox_unavailable", "The demo mailbox could not be read. Check that the SafeNet simulator is running and try again.");
  }
}
