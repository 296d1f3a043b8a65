"use client";

import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/**
 * False in the server's HTML and until React has hydrated the page, then true. The sign-in forms keep
 * their submit button disabled until then: before hydration a click would submit the form natively,
 * and nothing the browser does on its own with a password field is what the portal wants.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscribe, () => true, () => false);
}
