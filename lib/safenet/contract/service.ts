import { z } from "zod";

// The "is it there" answers: GET /health, GET of the OTP Service URL (Check connection) and GET of
// the TMS Web API URL (proves the key), and the development mail sink's reading side.

export const serviceStatusSchema = z.object({ service: z.string().min(1), status: z.string().min(1), version: z.string() });
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

export const mailboxAttachmentSchema = z.object({ filename: z.string(), contentType: z.string(), size: z.number().int().nonnegative() });
export type MailboxAttachment = z.infer<typeof mailboxAttachmentSchema>;

export const mailboxMessageSchema = z.object({
  id: z.string().min(1),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  /** The Message-ID header as sent ("<left@right>"), "" when it had none. */
  messageId: z.string(),
  date: z.iso.datetime(),
  text: z.string(),
  html: z.string(),
  attachments: z.array(mailboxAttachmentSchema),
});
export type MailboxMessage = z.infer<typeof mailboxMessageSchema>;

export const mailboxAnswerSchema = z.object({ messages: z.array(mailboxMessageSchema) });
export const mailboxClearedSchema = z.object({ deleted: z.number().int().nonnegative() });
