// The MFA decision's checks in the order they ran: one list for the admin tester and /connect.
export function DecisionTrace({ id, steps }: { id: string; steps: { check: string; passed: boolean; detail: string }[] }) {
  return (
    <>
      <h3 id={id}>Checks, in order</h3>
      <ol aria-labelledby={id} className="decision-trace">
        {steps.map((step, i) => (
          <li key={i}>
            <span className={step.passed ? "check-yes" : "check-no"}>
              {step.check}: {step.passed ? "yes" : "no"}.
            </span>{" "}
            {step.detail}
          </li>
        ))}
      </ol>
    </>
  );
}
