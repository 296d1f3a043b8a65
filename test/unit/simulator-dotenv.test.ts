import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadDotEnv } from "../../mock-safenet/config";

// Which .env the simulator reads: the working directory's, the one SAFENET_ENV_FILE names, or none.

const KEY = "SIM_DOTENV_TEST_VALUE";

describe("the simulator's .env", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-dotenv-"));
  fs.writeFileSync(path.join(dir, ".env"), `${KEY}=from-the-file\n`);

  afterEach(() => {
    delete process.env[KEY];
  });

  it("is read from the working directory and never overrides the environment", () => {
    loadDotEnv(dir, {});
    expect(process.env[KEY]).toBe("from-the-file");
    process.env[KEY] = "from-the-environment";
    loadDotEnv(dir, {});
    expect(process.env[KEY]).toBe("from-the-environment");
  });

  it("is the named file when SAFENET_ENV_FILE names one", () => {
    const other = path.join(dir, "other.env");
    fs.writeFileSync(other, `${KEY}=named\n`);
    loadDotEnv(os.tmpdir(), { SAFENET_ENV_FILE: other });
    expect(process.env[KEY]).toBe("named");
  });

  it("is not read at all when SAFENET_ENV_FILE is empty, as the test harness sets it", () => {
    loadDotEnv(dir, { SAFENET_ENV_FILE: "" });
    expect(process.env[KEY]).toBeUndefined();
  });
});
