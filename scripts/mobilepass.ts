import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { hotp, secondsLeftInStep, totp } from "../lib/otp";
import { PskcError, readPskc, type PskcKey } from "../lib/pskc";

// The command-line twin of the simulated MobilePASS: seed file + activation key → current passcode.

const USAGE = `Usage: tsx scripts/mobilepass.ts --seed FILE --activation-key KEY [options]

Prints the current passcode of the MobilePASS token in a PSKC seed file.

  --seed FILE             the seed file from the activation email
  --activation-key KEY    the activation key from the same email
  --time UNIXSECONDS      time-based tokens: the passcode at this time (default: now)
  --counter N             event-based tokens: the passcode at this counter (default: the file's, else 0)
  --pin PIN               print PIN + passcode, as typed at logon
  --json                  print {"serial","mode","otp","passcode","secondsLeft"?} instead
  --help                  show this help

Exit status: 0 on success, 2 on a wrong activation key, an unreadable seed file or bad arguments.`;

class UsageError extends Error {}
class SeedFileError extends Error {}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag} must be a whole number of 0 or more, not "${value}".`);
  }
  return Number(value);
}

function parse(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seed: { type: "string" },
        "activation-key": { type: "string" },
        counter: { type: "string" },
        time: { type: "string" },
        pin: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return null;
  if (!values.seed) throw new UsageError("Give the seed file with --seed FILE.");
  if (!values["activation-key"]) throw new UsageError("Give the activation key with --activation-key KEY.");
  if (values.pin !== undefined && !/^[A-Za-z0-9]+$/.test(values.pin)) {
    throw new UsageError("--pin takes letters and digits only.");
  }
  return {
    seed: values.seed,
    activationKey: values["activation-key"],
    counter: wholeNumber(values.counter, "--counter"),
    time: wholeNumber(values.time, "--time"),
    pin: values.pin ?? "",
    json: values.json,
  };
}

type Args = NonNullable<ReturnType<typeof parse>>;

function passcode(key: PskcKey, args: Args): { serial: string; mode: "time" | "event"; otp: string; secondsLeft?: number } {
  // otplib, like RFC 4226's recommendation, refuses secrets under 128 bits.
  if (key.secret.length < 16) throw new UsageError(`The secret of token ${key.serial} is shorter than 16 bytes; ask for a new seed file.`);
  if (key.algorithm === "totp") {
    if (args.counter !== undefined) throw new UsageError(`Token ${key.serial} is time-based; use --time instead of --counter.`);
    const step = key.timeStepSeconds ?? 30;
    // PSKC's Time is RFC 6238's T0, the moment step 0 starts.
    const sinceT0 = (args.time ?? Math.floor(Date.now() / 1000)) - (key.time ?? 0);
    const otp = totp(key.secret, sinceT0, { stepSeconds: step, digits: key.digits });
    return { serial: key.serial, mode: "time", otp, secondsLeft: secondsLeftInStep(sinceT0, step) };
  }
  if (args.time !== undefined) throw new UsageError(`Token ${key.serial} is event-based; use --counter instead of --time.`);
  return { serial: key.serial, mode: "event", otp: hotp(key.secret, args.counter ?? key.counter ?? 0, key.digits) };
}

async function main(argv: string[]): Promise<number> {
  let args: Args | null;
  let xml: string;
  try {
    args = parse(argv);
    if (!args) {
      console.log(USAGE);
      return 0;
    }
    try {
      xml = readFileSync(args.seed, "utf8");
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
      throw new SeedFileError(`Cannot read the seed file ${args.seed}: ${reason}.`);
    }
    const keys = await readPskc(xml, args.activationKey);
    if (keys.length > 1) console.error(`The seed file holds ${keys.length} tokens; showing the first, ${keys[0].serial}.`);
    const result = passcode(keys[0], args);
    const output = { ...result, passcode: args.pin + result.otp };
    console.log(args.json ? JSON.stringify(output) : output.passcode);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`mobilepass: ${e.message}\nRun with --help for usage.`);
      return 2;
    }
    if (e instanceof PskcError || e instanceof SeedFileError) {
      console.error(`mobilepass: ${e.message}`);
      return 2;
    }
    console.error(`mobilepass: ${(e as Error).message}`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
