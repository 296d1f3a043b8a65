"use client";

import type { ServiceUrlField } from "./url-check";
import { saveAnywayName } from "./url-check";

/**
 * "Save anyway" for a service URL whose check failed at Save: shown only while the field still holds
 * the URL that failed, and its value is that URL, so a different URL needs its own check.
 */
export function SaveAnyway(props: { field: ServiceUrlField; failedUrl: string | undefined; url: string }) {
  if (!props.failedUrl || props.failedUrl !== props.url) return null;
  const id = saveAnywayName(props.field);
  return (
    <div className="field checkbox-field">
      <input type="checkbox" id={id} name={id} value={props.url} aria-describedby={`${id}-hint`} />{" "}
      <label htmlFor={id}>Save anyway</label>
      <p id={`${id}-hint`} className="hint">
        Saves this URL although it did not answer as SafeNet. Until SafeNet answers there, nobody with a token can sign in here;
        the host&apos;s operator can put the defaults back with <code>npm run break-glass -- reset-safenet</code>.
      </p>
    </div>
  );
}
