"use client";

import { useRef, type KeyboardEvent, type ReactNode } from "react";
import styles from "./mfa.module.css";

export interface Tab {
  id: string;
  label: string;
  attention?: boolean;
  panel: ReactNode;
}

// WAI-ARIA tabs with automatic activation: arrows, Home and End move focus and selection together.
// Every panel stays in the DOM (hidden), so its fields still belong to the surrounding form.
export function Tabs(props: { label: string; tabs: Tab[]; selected: string; onSelect: (id: string) => void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const ids = props.tabs.map((t) => t.id);

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>) {
    const at = ids.indexOf(props.selected);
    const next: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: ids.length - 1 };
    if (!(e.key in next)) return;
    e.preventDefault();
    const id = ids[(next[e.key] + ids.length) % ids.length];
    props.onSelect(id);
    refs.current[id]?.focus();
  }

  return (
    <div>
      <div role="tablist" aria-label={props.label}>
        {props.tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={t.id === props.selected}
            aria-controls={`panel-${t.id}`}
            tabIndex={t.id === props.selected ? 0 : -1}
            onClick={() => props.onSelect(t.id)}
            onKeyDown={onKeyDown}
          >
            {t.label}
            {t.attention && <span className={styles.attention}> (needs attention)</span>}
          </button>
        ))}
      </div>
      {props.tabs.map((t) => (
        <div
          key={t.id}
          role="tabpanel"
          id={`panel-${t.id}`}
          aria-labelledby={`tab-${t.id}`}
          hidden={t.id !== props.selected}
          className={styles.panel}
        >
          {t.panel}
        </div>
      ))}
    </div>
  );
}
