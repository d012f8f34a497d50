package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hackablemail.onemail.IncomingEmail;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON a plugin is handed: the mail's fields, headers in message order, escaped as JSON. */
class PluginInputTest {

    @Test
    void headersKeepTheMessagesOrderAndTextIsEscaped() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Subject", "Quarterly \"report\" – Project XYZ");
        headers.put("From", "Alice <alice@example.org>");
        headers.put("Date", "Mon, 5 Jan 2026 10:00:00 +0000");
        IncomingEmail email = new IncomingEmail("alice@example.org", "bob@example.com", Map.copyOf(headers),
                "line one\nline\ttwo \\ é\u0001");

        String json = new String(PluginRunner.inputJson(email, headers), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"sender\":\"alice@example.org\",\"receiver\":\"bob@example.com\","
                + "\"headers\":{\"Subject\":\"Quarterly \\\"report\\\" – Project XYZ\","
                + "\"From\":\"Alice <alice@example.org>\",\"Date\":\"Mon, 5 Jan 2026 10:00:00 +0000\"},"
                + "\"body\":\"line one\\nline\\ttwo \\\\ é\\u0001\"}");
        // the same bytes as Jackson's tree of the same fields
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode tree = mapper.createObjectNode();
        tree.put("sender", email.sender());
        tree.put("receiver", email.receiver());
        headers.forEach(tree.putObject("headers")::put);
        tree.put("body", email.body());
        assertThat(PluginRunner.inputJson(email, headers)).isEqualTo(mapper.writeValueAsBytes(tree));
    }
}
