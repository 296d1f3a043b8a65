"use client";

import { useState, type KeyboardEvent, type ReactNode } from "react";
import { useHydrated } from "./use-hydrated";

/**
 * The header's account links behind a "Menu" button on narrow screens. Until the page is hydrated
 * (or without JavaScript) the links stay visible and wrap, so nothing is ever out of reach.
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const closeOnEscape = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Escape" || !open) return;
    setOpen(false);
    e.currentTarget.querySelector<HTMLButtonElement>(".menu-button")?.focus();
  };
  return (
    <div className="header-menu" data-enhanced={hydrated ? "true" : undefined} data-open={open ? "true" : undefined} onKeyDown={closeOnEscape}>
      <button type="button" className="menu-button secondary" aria-expanded={open} aria-controls="account-menu" onClick={() => setOpen(!open)}>
        Menu
      </button>
      {/* A followed link closes the menu: the header stays mounted across client-side navigation. */}
      <div id="account-menu" className="menu-panel" onClick={(e) => (e.target as Element).closest("a") && setOpen(false)}>
        {children}
      </div>
    </div>
  );
}
