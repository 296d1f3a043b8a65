/** Shown when the sign-in request itself fails (network down, portal restarting): nothing was checked. */
export const UNREACHABLE = "The portal did not answer. Check your network connection and try again.";
