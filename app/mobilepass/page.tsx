import type { Metadata } from "next";
import { MobilePass } from "./mobile-pass";

export const metadata: Metadata = { title: "MobilePASS (simulated)" };

// Public on purpose: the download link of the activation email lands here before anyone signs in, and
// nothing on this page talks to a server.
export default function MobilePassPage() {
  return (
    <>
      <h1>MobilePASS (simulated)</h1>
      <p>
        A simulated SafeNet MobilePASS for demos and trials: it reads the seed file and activation key from your
        activation email and shows your passcodes. Everything happens in this browser; the seed never leaves it.
      </p>
      <MobilePass />
    </>
  );
}
