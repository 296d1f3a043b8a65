// Test child processes run the portal's server modules under plain tsx, outside Next: the
// `server-only` marker must resolve as it does on the server (empty) rather than throw.
// Import this first; CommonJS evaluates imports in order.
const marker = require.resolve("server-only");
require.cache[marker] = { id: marker, filename: marker, loaded: true, exports: {} } as unknown as NodeJS.Module;
