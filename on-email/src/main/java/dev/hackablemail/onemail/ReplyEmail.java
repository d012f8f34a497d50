package dev.hackablemail.onemail;

import java.util.Objects;

/**
 * What a plugin hands to {@code reply}: only a subject and a body. The host fixes the
 * reply's recipient (the original sender) and its From (the original recipient).
 */
public record ReplyEmail(String subject, String body) {

    public ReplyEmail {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
    }
}
