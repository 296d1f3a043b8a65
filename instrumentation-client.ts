import { z } from "zod";

// Runs in the browser before the app's code. The CSP allows no eval, and zod probes
// `new Function` when it builds its first object schema: the browser reports the caught probe as
// a CSP violation. Without JIT zod never probes (parsing is slower, which forms do not notice).
z.config({ jitless: true });
