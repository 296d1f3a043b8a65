// The SafeNet contract (DESIGN.md, "SafeNet simulator contract"): the shapes both the simulator and
// the portal's client speak, as zod schemas and their types. Pure: no I/O, no environment.
// Client components import the zod-free files (states, policy-rules, errors) directly instead of
// this index, so the browser bundle does not carry the schemas.

export * from "./authnodes";
export * from "./check";
export * from "./directory";
export * from "./error-body";
export * from "./errors";
export * from "./events";
export * from "./policy";
export * from "./policy-rules";
export * from "./service";
export * from "./states";
export * from "./summary";
export * from "./token";
export * from "./validation";
