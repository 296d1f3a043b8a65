import type { TestState } from "./schemas";
import styles from "./repositories.module.css";

const count = (n: number | null, one: string, many: string) => (n === null ? `${many}: not counted` : `${n} ${n === 1 ? one : many}`);

/** Test connection's progress and outcome, in one live region: the bind, the counts and a sample of users. */
export function TestResult({ id, testing, state }: { id: string; testing: boolean; state: TestState }) {
  const answer = state.status === "tested" ? state.answer : null;
  return (
    <div id={id} role="status" aria-live="polite" aria-busy={testing} className={styles.result}>
      {testing ? (
        <p className={styles.progress}>
          <progress aria-label="Testing the connection" /> Binding to the directory and searching it; this may take a few seconds.
        </p>
      ) : state.status === "error" ? (
        <p className="form-error">{state.message}</p>
      ) : answer ? (
        <>
          <p className={answer.ok ? "success" : "form-error"}>
            {answer.ok ? "Bind succeeded" : `Test failed (${answer.status.replace(/_/g, " ")})`}: {answer.message} ({Math.round(answer.elapsedMs)} ms)
          </p>
          {answer.ok && (
            <>
              <p>
                Found {count(answer.users, "user", "users")} and {count(answer.groups, "group", "groups")}.
              </p>
              {answer.sample.length > 0 && (
                <ul aria-label="Sample of users" className={styles.sample}>
                  {answer.sample.map((u) => (
                    <li key={u.upn}>
                      {u.displayName} ({u.upn}){u.email && `, ${u.email}`}
                      {u.groups.length > 0 && `; groups: ${u.groups.join(", ")}`}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </>
      ) : null}
    </div>
  );
}
