import { z } from "zod";

// The TMS event log (GET /TMSWebAPI/v1/events): every validation and every token operation.

export const EVENT_RESULTS = ["success", "failure", "challenge", "info"] as const;
export type EventResult = (typeof EVENT_RESULTS)[number];

// `at` and `result` are plain strings: the timeline copes with an odd one (lib/events/safenet.ts), so one
// odd event must not refuse the whole page and stall the copy of the log.
export const eventSchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  type: z.string().min(1),
  user: z.string().nullable(),
  serial: z.string().nullable(),
  result: z.string(),
  code: z.number().int().nullable(),
  reason: z.string().nullable(),
  clientIp: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type SafeNetEvent = z.infer<typeof eventSchema>;

export const eventsPageSchema = z.object({ events: z.array(eventSchema), nextCursor: z.string().nullable() });
export type EventsPage = z.infer<typeof eventsPageSchema>;
