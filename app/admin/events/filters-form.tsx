import Link from "next/link";
import { FormField } from "@/app/components/form-field";
import type { FilterValues } from "@/lib/events/filters";
import { KIND_LABELS, PORTAL_KINDS, RESULT_LABELS, RESULTS, SAFENET_KINDS } from "@/lib/events/kinds";
import styles from "./events.module.css";

type Errors = Partial<Record<keyof FilterValues, string>>;

// A plain GET form: the filters live in the URL, so a filtered view can be bookmarked and shared.
export function FiltersForm({ values, errors }: { values: FilterValues; errors: Errors }) {
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <form method="get" action="/admin/events" aria-labelledby="filters-title" noValidate>
      <h2 id="filters-title">Filters</h2>
      <p className="muted">
        Times are in UTC, here and in the list. From and To are both included; leave either empty for an open range.
      </p>
      {hasErrors && (
        <p className="form-error" role="alert">
          Some filters need attention: see the messages next to them.
        </p>
      )}
      <div className={styles.filters}>
        <FormField id="filter-user" label="User" error={errors.user} hint="alice@corp.local or CORP\alice">
          {(aria) => <input {...aria} name="user" type="text" defaultValue={values.user} autoComplete="off" spellCheck={false} />}
        </FormField>
        <FormField id="filter-kind" label="Kind" error={errors.kind}>
          {(aria) => (
            <select {...aria} name="kind" defaultValue={values.kind}>
              <option value="">Any kind</option>
              <optgroup label="Portal">
                {PORTAL_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </optgroup>
              <optgroup label="SafeNet">
                {SAFENET_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </optgroup>
            </select>
          )}
        </FormField>
        <FormField id="filter-result" label="Result" error={errors.result}>
          {(aria) => (
            <select {...aria} name="result" defaultValue={values.result}>
              <option value="">Any result</option>
              {RESULTS.map((r) => (
                <option key={r} value={r}>
                  {RESULT_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField id="filter-from" label="From (UTC)" error={errors.from}>
          {(aria) => <input {...aria} name="from" type="datetime-local" defaultValue={values.from} />}
        </FormField>
        <FormField id="filter-to" label="To (UTC)" error={errors.to}>
          {(aria) => <input {...aria} name="to" type="datetime-local" defaultValue={values.to} />}
        </FormField>
      </div>
      {values.limit && <input type="hidden" name="limit" value={values.limit} />}
      <div className={styles.actions}>
        <button type="submit">Apply filters</button>
        <Link href="/admin/events">Clear filters</Link>
      </div>
    </form>
  );
}
