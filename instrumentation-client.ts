import { config } from "zod/v4/core";

// Runs in the browser before the app's code. The CSP allows no eval, and zod probes
// `new Function` when it builds its first object schema: the browser reports the caught probe as
// a CSP violation. Without JIT zod never probes (parsing is slower, which forms do not notice).
// Only zod's config from its core (kept on globalThis, so every zod copy reads it): importing "zod"
// here put all of zod, 32 kB gzipped, on every page, including the many that never use it.
config({ jitless: true });
