import { prepare, printBanner, runStack } from "./start";

// Same stack as `npm start`, with hot reloading and no production build.
async function main(): Promise<void> {
  const stack = prepare();
  printBanner(stack);
  await runStack(stack, {
    safenet: "tsx watch mock-safenet/server.ts",
    portal: `next dev -H 127.0.0.1 -p ${stack.portalPort}`,
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
