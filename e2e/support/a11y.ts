import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

// The accessibility bar of every page: axe finds no violation of serious or critical impact.

export async function seriousViolations(page: Page, options: { exclude?: string } = {}): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  if (options.exclude) builder.exclude(options.exclude);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

export async function expectNoSeriousViolations(page: Page, options: { exclude?: string; label?: string } = {}): Promise<void> {
  expect(await seriousViolations(page, options), options.label).toEqual([]);
}
