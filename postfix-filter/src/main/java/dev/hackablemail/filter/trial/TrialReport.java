package dev.hackablemail.filter.trial;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hackablemail.filter.OneLine;
import java.util.Map;

/**
 * A {@link TrialResult} for people ({@link #text}) and for programs ({@link #json}), in the
 * same order: the mail the plugin received, its host calls, the delivery, the answer, the
 * plugin's log, the decision. Long values of the received mail and of payloads are abridged;
 * the answer is shown whole.
 */
public final class TrialReport {

    /** Characters of a header value or a payload shown before it is abridged. */
    static final int SHORT = 160;
    /** Characters of a body shown before it is abridged. */
    static final int LONG = 1500;

    private TrialReport() {}

    public static String text(TrialResult r) {
        StringBuilder out = new StringBuilder();
        out.append("The mail the plugin received (IncomingEmail):\n");
        if (r.input() == null) {
            out.append("  (no plugin ran)\n");
        } else {
            out.append("  sender:   ").append(r.input().sender()).append('\n');
            out.append("  receiver: ").append(r.input().receiver()).append('\n');
            out.append("  headers:\n");
            for (Map.Entry<String, String> h : r.input().headers().entrySet()) {
                out.append("    ").append(h.getKey()).append(": ").append(oneLine(abridge(h.getValue(), SHORT)))
                        .append('\n');
            }
            out.append("  body: ").append(r.input().body().length()).append(" characters\n");
            indent(out, abridge(r.input().body(), LONG), "    | ");
        }

        out.append("\nHost calls:\n");
        if (r.hostCalls().isEmpty()) {
            out.append("  (none)\n");
        }
        for (TrialResult.HostCall c : r.hostCalls()) {
            out.append("  ").append(c.function()).append(' ').append(oneLine(abridge(c.payload(), SHORT)));
            out.append(c.failure() == null ? "\n    -> " + c.answer() + "\n"
                    : "\n    -> failed the plugin: " + oneLine(c.failure()) + "\n");
        }

        out.append("\nDelivery:\n");
        TrialResult.Delivery d = r.delivery();
        if (d == null) {
            out.append("  nothing would be delivered\n");
            refusal(r, "deliver").ifPresent(why -> out.append("  the plugin's deliver is refused: ").append(why)
                    .append('\n'));
        } else {
            out.append("  to <").append(d.recipient()).append(">, envelope sender <").append(d.sender()).append(">: ");
            if (d.unchanged()) {
                out.append("the original message, byte for byte (").append(d.bytes().length).append(" bytes)\n");
            } else {
                out.append("the original message with the plugin's changes (").append(d.bytes().length)
                        .append(" bytes)\n");
                d.removedFields().forEach(f -> out.append("  - ").append(oneLine(abridge(f, SHORT))).append('\n'));
                d.addedFields().forEach(f -> out.append("  + ").append(oneLine(abridge(f, SHORT))).append('\n'));
                if (d.bodyChanged()) {
                    out.append("  the body is changed\n");
                }
            }
        }

        out.append("\nAnswer to the sender:\n");
        if (r.answer() != null) {
            TrialResult.Answer a = r.answer();
            out.append("  the ").append(a.kind()).append(" as it would be sent to <").append(a.recipient())
                    .append("> (envelope sender <>):\n");
            indent(out, a.text(), "    | ");
        } else if (r.suppressed() != null) {
            out.append("  the plugin's ").append(r.suppressed().kind()).append(" would not be sent: ")
                    .append(r.suppressed().rule()).append('\n');
        } else if (refusal(r, "reply").isPresent()) {
            out.append("  the plugin's reply is refused: ").append(refusal(r, "reply").get()).append('\n');
        } else {
            out.append("  none\n");
        }

        out.append("\nPlugin log:\n");
        if (r.pluginLog().isEmpty()) {
            out.append("  (none)\n");
        }
        for (TrialResult.LogLine l : r.pluginLog()) {
            out.append("  ").append(l.level()).append(": ").append(OneLine.withoutControls(l.message())).append('\n');
        }

        out.append("\nDecision: ").append(describe(r)).append('\n');
        if (r.reason() != null) {
            out.append("  ").append(r.reason()).append('\n');
        }
        return out.toString();
    }

    /** Why the host refused the plugin's {@code function} call, if it did. */
    static java.util.Optional<String> refusal(TrialResult r, String function) {
        return r.refused().stream().filter(x -> x.function().equals(function)).map(TrialResult.Refusal::why)
                .findFirst();
    }

    /** The decision in words, with the exit code. */
    public static String describe(TrialResult r) {
        String what = switch (r.decision()) {
            case DELIVERED -> "delivered";
            case DROPPED -> "not delivered and not bounced (dropped)";
            case BOUNCED -> "bounced: Postfix returns the mail to its sender";
            case DEFERRED -> "deferred: Postfix keeps the mail and tries again";
        };
        return what + "; the filter exits " + r.exitCode();
    }

    public static String json(TrialResult r) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        if (r.input() == null) {
            root.putNull("input");
        } else {
            ObjectNode input = root.putObject("input");
            input.put("sender", r.input().sender());
            input.put("receiver", r.input().receiver());
            ObjectNode headers = input.putObject("headers");
            r.input().headers().forEach((k, v) -> headers.put(k, abridge(v, SHORT)));
            input.put("body", abridge(r.input().body(), LONG));
            input.put("bodyLength", r.input().body().length());
        }
        ArrayNode calls = root.putArray("hostCalls");
        for (TrialResult.HostCall c : r.hostCalls()) {
            ObjectNode call = calls.addObject();
            call.put("function", c.function());
            call.put("payload", abridge(c.payload(), LONG));
            call.put("payloadLength", c.payload().length());
            if (c.failure() == null) {
                call.put("answer", c.answer());
            } else {
                call.put("failure", c.failure());
            }
        }
        TrialResult.Delivery d = r.delivery();
        if (d == null) {
            root.putNull("delivery");
        } else {
            ObjectNode delivery = root.putObject("delivery");
            delivery.put("sender", d.sender());
            delivery.put("recipient", d.recipient());
            delivery.put("size", d.bytes().length);
            delivery.put("unchanged", d.unchanged());
            d.removedFields().forEach(delivery.putArray("removedFields")::add);
            d.addedFields().forEach(delivery.putArray("addedFields")::add);
            delivery.put("bodyChanged", d.bodyChanged());
        }
        TrialResult.Answer a = r.answer();
        if (a == null) {
            root.putNull("answer");
        } else {
            ObjectNode answer = root.putObject("answer");
            answer.put("kind", a.kind());
            answer.put("recipient", a.recipient());
            answer.put("subject", a.subject());
            answer.put("body", a.body());
            answer.put("message", a.text());
        }
        if (r.suppressed() == null) {
            root.putNull("suppressed");
        } else {
            root.putObject("suppressed").put("kind", r.suppressed().kind()).put("rule", r.suppressed().rule());
        }
        ArrayNode refused = root.putArray("refused");
        r.refused().forEach(x -> refused.addObject().put("function", x.function()).put("why", x.why()));
        ArrayNode log = root.putArray("pluginLog");
        r.pluginLog().forEach(l -> log.addObject().put("level", l.level()).put("message", l.message()));
        root.put("decision", r.decision().name().toLowerCase(java.util.Locale.ROOT));
        root.put("exitCode", r.exitCode());
        root.put("reason", r.reason());
        root.put("logLine", r.logLine());
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code s} cut to {@code max} characters, saying how much was left out. */
    static String abridge(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, max) + "... (" + (s.length() - max) + " more characters)";
    }

    private static String oneLine(String s) {
        return OneLine.withoutControls(s.replace("\r\n", "\\n").replace("\n", "\\n"));
    }

    private static void indent(StringBuilder out, String text, String prefix) {
        String t = text.replace("\r\n", "\n");
        if (t.endsWith("\n")) {
            t = t.substring(0, t.length() - 1);
        }
        for (String line : t.split("\n", -1)) {
            out.append(prefix).append(OneLine.withoutControls(line)).append('\n');
        }
    }
}
