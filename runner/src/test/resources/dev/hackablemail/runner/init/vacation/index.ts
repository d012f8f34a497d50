import { IncomingEmail, ReplyEmail, deliver, reply } from "./pdk.gen";

// Deliver every mail; answer it with "I am on vacation until Monday", unless it is a reply.
export function onEmail(email: IncomingEmail): i32 {
  const code = deliver(email);
  const subject = email.headers.has("Subject") ? email.headers.get("Subject") : "";
  if (code == 0 && !subject.startsWith("Re:")) {
    reply(new ReplyEmail("Re: " + subject, "I am on vacation until Monday."));
  }
  return code; // a failed reply does not bounce the delivered mail
}
