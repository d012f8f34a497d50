package dev.hackablemail.onemail;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The mail a plugin's {@code onEmail} export receives and hands to {@code deliver}: the
 * envelope ({@code sender}, {@code receiver}), the decoded headers and the text body.
 *
 * <p>A header that occurs several times is represented once, its values joined with
 * {@code ", "} in message order (see {@code schema/on-email.yaml}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncomingEmail(String sender, String receiver, Map<String, String> headers, String body) {

    public IncomingEmail {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
        // Keeps the caller's order (message order, from the filter), which Map.copyOf would not.
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? "" : body;
    }

    /** The value of a header, looked up without regard to case; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
