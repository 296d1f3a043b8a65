// The SafeNet contract (DESIGN.md, "SafeNet simulator contract"): the shapes both the simulator and
// the portal's client speak, as zod schemas and their types. Pure: no I/O, no environment.

export * from "./check";
export * from "./directory";
export * from "./errors";
export * from "./events";
export * from "./policy";
export * from "./service";
export * from "./states";
export * from "./token";
export * from "./validation";
