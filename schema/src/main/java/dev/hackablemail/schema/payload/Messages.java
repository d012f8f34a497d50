package dev.hackablemail.schema.payload;

import java.util.ArrayList;
import java.util.List;

/** Collects messages up to a cap, so that a huge wrong payload gives a readable list. */
final class Messages {

    static final int CAP = 50;

    private final List<String> messages = new ArrayList<>();
    private int dropped;

    void add(String message) {
        if (messages.size() >= CAP) {
            dropped++; // still counted, so the last line can say how many
        } else {
            messages.add(message);
        }
    }

    List<String> list() {
        List<String> all = new ArrayList<>(messages);
        if (dropped > 0) {
            all.add("... and " + dropped + " more");
        }
        return List.copyOf(all);
    }
}
