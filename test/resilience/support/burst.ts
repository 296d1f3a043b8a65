// Child process for the concurrency tests: at the agreed instant, fires `count` identical requests at
// once and prints how each was answered, as JSON. Usage: tsx burst.ts '<job json>'

interface Job {
  url: string;
  headers: Record<string, string>;
  body: string;
  count: number;
  /** Date.now() at which to fire, so that two processes fire together. */
  at: number;
}

const job = JSON.parse(process.argv[2]) as Job;

async function main() {
  while (Date.now() < job.at) await new Promise((r) => setTimeout(r, 1));
  const answers = await Promise.all(
    Array.from({ length: job.count }, async () => {
      try {
        const res = await fetch(job.url, { method: "POST", headers: job.headers, body: job.body, redirect: "manual" });
        return { status: res.status, text: await res.text(), setCookie: res.headers.getSetCookie() };
      } catch (err) {
        return { status: 0, text: (err as Error).message, setCookie: [] };
      }
    }),
  );
  process.stdout.write(JSON.stringify(answers));
}

void main();
