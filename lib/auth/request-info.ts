// The client address of a sign-in, from the proxy headers Next.js sets (127.0.0.1 when direct).
export function clientAddress(headers: Record<string, string | string[] | undefined> | Headers): string {
  const get = (name: string) => {
    const v = headers instanceof Headers ? headers.get(name) : headers[name];
    return Array.isArray(v) ? v[0] : v ?? undefined;
  };
  const forwarded = get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || get("x-real-ip") || "unknown";
}
