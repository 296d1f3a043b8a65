import { checkDatabase } from "@/db";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await checkDatabase();
  if (database.ok) {
    return Response.json({ status: "ok", service: "portal", database: "ok" }, { headers: { "Cache-Control": "no-store" } });
  }
  return Response.json(
    { status: "error", service: "portal", database: "unavailable", message: database.message },
    { status: 503, headers: { "Cache-Control": "no-store" } },
  );
}
