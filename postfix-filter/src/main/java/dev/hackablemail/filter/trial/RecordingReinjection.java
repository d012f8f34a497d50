package dev.hackablemail.filter.trial;

import dev.hackablemail.filter.Reinjection;
import java.util.ArrayList;
import java.util.List;

/**
 * Record mode: keeps what would be delivered and replied instead of handing it to the mail
 * system, and answers as a mail system that took it (0).
 */
final class RecordingReinjection implements Reinjection {

    /** A message that would have been handed on: a delivery (sender set) or an answer (sender null). */
    record Handed(String sender, String recipient, byte[] bytes) {}

    final List<Handed> deliveries = new ArrayList<>();
    final List<Handed> answers = new ArrayList<>();

    @Override
    public Result deliver(String sender, String recipient, byte[] message) {
        deliveries.add(new Handed(sender, recipient, message));
        return Result.OK;
    }

    @Override
    public Result reply(String recipient, byte[] message) {
        answers.add(new Handed(null, recipient, message));
        return Result.OK;
    }
}
