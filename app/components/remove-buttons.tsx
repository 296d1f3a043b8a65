import type { Ref } from "react";

// A list row's removal in two steps: Remove, then Confirm removal (danger) or Cancel (or Escape). The row's form
// submits `name="id"` with the confirmed row's id. Distinct keys: reusing the clicked button's node
// as the submit button would submit at once.

export function RemoveButtons(props: {
  id: string | number;
  /** How the row is named in the buttons' labels ("Remove 10.0.0.0/8"). */
  what: string;
  confirming: boolean;
  removing: boolean;
  confirmRef: Ref<HTMLButtonElement>;
  onAsk: () => void;
  onCancel: () => void;
  className?: string;
}) {
  if (!props.confirming) {
    return (
      <span key="ask" className={props.className}>
        <button type="button" className="secondary danger" data-remove={props.id} aria-label={`Remove ${props.what}`} onClick={props.onAsk}>
          Remove
        </button>
      </span>
    );
  }
  return (
    <span
      key="confirm"
      className={props.className}
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        e.preventDefault();
        props.onCancel();
      }}
    >
      <button ref={props.confirmRef} type="submit" name="id" value={props.id} className="danger" disabled={props.removing} aria-busy={props.removing} aria-label={`Confirm removal of ${props.what}`}>
        {props.removing ? "Removing…" : "Confirm removal"}
      </button>
      <button type="button" className="secondary" onClick={props.onCancel} disabled={props.removing}>
        Cancel
      </button>
    </span>
  );
}
