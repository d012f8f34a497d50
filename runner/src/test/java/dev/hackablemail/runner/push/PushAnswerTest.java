package dev.hackablemail.runner.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.runner.push.PushAnswer.Aliases;
import dev.hackablemail.runner.push.PushAnswer.Check;
import dev.hackablemail.runner.push.PushAnswer.ErrorAnswer;
import dev.hackablemail.runner.push.PushAnswer.GateAnswer;
import dev.hackablemail.runner.push.PushAnswer.RemoveAnswer;
import dev.hackablemail.runner.push.PushAnswer.RevokeAnswer;
import dev.hackablemail.runner.push.PushAnswer.Simulation;
import dev.hackablemail.runner.push.PushAnswer.SimulationSummary;
import dev.hackablemail.runner.push.PushAnswer.Version;
import dev.hackablemail.runner.push.PushAnswer.VersionList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushAnswerTest {

    private static JsonNode written(PushAnswer answer) {
        return PushAnswer.JSON.valueToTree(answer);
    }

    private static PushAnswer roundTrip(PushAnswer answer) throws Exception {
        return PushAnswer.read(PushAnswer.JSON.readTree(PushAnswer.JSON.writeValueAsBytes(answer)));
    }

    private static GateAnswer rejectedPush() {
        return new GateAnswer(PushAnswer.REJECTED, PushAnswer.PUSH, "a@example.com", "the plugin did not pass", null,
                "ab12", 10, null, 3, List.of("check: export onX missing"), new Check(false, List.of("missing"), 4),
                List.of(), 0L, List.of(), 20);
    }

    @Test
    void aRejectedPushWritesItsNullVersionAndLeavesOutWhatOnlyAnAcceptanceHas() {
        JsonNode json = written(rejectedPush());

        assertThat(json.get("version").isNull()).isTrue();
        assertThat(json.get("active").asInt()).isEqualTo(3);
        assertThat(json.has("unchanged")).isFalse();
        assertThat(json.has("pruned")).isFalse();
        assertThat(json.path("check").path("problems").get(0).asText()).isEqualTo("missing");
    }

    @Test
    void anUnchangedRollbackThatSkippedTheGateHasNoCheckOrSimulations() {
        GateAnswer answer = new GateAnswer(PushAnswer.ACCEPTED, PushAnswer.ROLLBACK, "a@example.com", null, 2, "ab12",
                10, true, 2, List.of(), null, null, null, List.of(), 1);
        JsonNode json = written(answer);

        assertThat(json.has("check")).isFalse();
        assertThat(json.has("simulations")).isFalse();
        assertThat(json.has("simulationMillis")).isFalse();
        assertThat(json.has("error")).isFalse();
        assertThat(json.get("unchanged").asBoolean()).isTrue();
    }

    @Test
    void everyAnswerReadsBackAsTheRecordItWas() throws Exception {
        List<PushAnswer> answers = List.of(
                rejectedPush(),
                new GateAnswer(PushAnswer.ACCEPTED, PushAnswer.PUSH, "a@example.com", null, 4, "ab12", 10, false, 4,
                        List.of(), new Check(true, List.of(), 3),
                        List.of(new Simulation("email", true, 66, 0, 0, null, 120,
                                List.of(new PushAnswer.Failure(null, "a", "b")))), 120L, List.of(1), 130),
                new RemoveAnswer("a@example.com", true, 2),
                new RevokeAnswer("a@example.com", false),
                new VersionList("a@example.com", null, null, null, List.of(new Version(1, "ab12", 10,
                        "2026-01-01T00:00:00Z", "guest", false, List.of(new SimulationSummary("email", 66, 0, 9))))),
                new Aliases("a@example.com", List.of("b@example.com")),
                new ErrorAnswer("unknown or revoked token", 401));

        for (PushAnswer answer : answers) {
            assertThat(roundTrip(answer)).isEqualTo(answer);
        }
    }

    @Test
    void aReaderIgnoresFieldsItDoesNotKnow() throws Exception {
        JsonNode json = PushAnswer.JSON.readTree("{\"result\": \"revoked\", \"address\": \"a@example.com\","
                + " \"revoked\": true, \"since\": \"a newer server\"}");

        assertThat(PushAnswer.read(json)).isEqualTo(new RevokeAnswer("a@example.com", true));
    }

    @Test
    void aBodyOfNoKnownShapeIsAnErrorWithoutReason() throws Exception {
        assertThat(PushAnswer.read(PushAnswer.JSON.readTree("{}"))).isEqualTo(new ErrorAnswer(null, 0));
    }
}
