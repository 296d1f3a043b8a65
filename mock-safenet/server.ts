import { loadDotEnv, readConfig } from "./config";
import { createApp } from "./http/app";
import { startSmtpSink } from "./mail-sink";
import { createSim } from "./sim";
import { lockInstance } from "./data-dir-lock";
import { describeDatabase } from "./db";
import { startRadiusFrontEnd } from "./radius/front-end";

// `npm run safenet`: the SafeNet simulator (TMS Web API, OTP validator, mailbox API) and its SMTP sink.

const log = (line: string) => console.log(line);

async function main() {
  loadDotEnv();
  const config = readConfig();
  // A key rotation must not run under a live simulator, nor the simulator start during one. On SQLite
  // the simulator owns DATA_DIR alone; on PostgreSQL every simulator holds the database's shared lock.
  const release = await lockInstance(config, "simulator");
  const sim = await createSim(config, log);
  const app = createApp(sim);
  await app.listen({ port: config.port, host: config.host });
  const smtp = await startSmtpSink(sim.mailbox, config.host, config.smtpPort, log);
  const radius = await startRadiusFrontEnd(sim);

  const base = config.publicUrl;
  log(`SafeNet simulator ${sim.version} listening on ${base}`);
  log(`  TMS Web API      ${base}/TMSWebAPI/v1`);
  log(`  OTP validator    ${base}/TokenValidator/TokenValidator.asmx`);
  log(`  mailbox API      ${base}/mailbox/messages`);
  log(`  SMTP mail sink   smtp://${config.host}:${config.smtpPort}`);
  log(radius ? `  RADIUS           udp://${config.host}:${radius.port}` : "  RADIUS           off (SAFENET_RADIUS_PORT=0)");
  log(`  data             ${config.dataDir}`);
  log(`  database         ${describeDatabase(config)}`);
  log("Demo accounts (repository corp.local):");
  for (const u of sim.seeded) log(`  ${u.upn.padEnd(20)} ${u.password.padEnd(12)} ${u.note}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await Promise.allSettled([app.close(), new Promise<void>((r) => smtp.close(() => r())), radius?.close()]);
    await sim.db.close();
    await release();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: Error) => {
  console.error(`The SafeNet simulator could not start: ${err.message}`);
  process.exit(1);
});
