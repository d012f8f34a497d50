package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.filter.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP API with the contract simulation and the example's behavioural simulation (as an
 * operator who wants the example's behaviour would configure it), driven over HTTP
 * and through the {@code xtp-sim plugin} client commands, with the filter reading the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushApiTest {

    @TempDir
    static Path dir;

    Fixture fx;
    String alice;
    String bob;
    int guests;

    @BeforeAll
    void start() throws Exception {
        fx = new Fixture(dir, "  max_upload: 64KiB\n" + Fixture.contractAndExample());
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    /** Fresh guests for every test: the server and its warm caches are shared. */
    @BeforeEach
    void guests() throws Exception {
        guests++;
        alice = "alice" + guests + "@example.com";
        bob = "bob" + guests + "@example.com";
    }

    @Test
    void theExamplePluginIsAcceptedAndThenRunByTheFilter() throws Exception {
        String token = fx.signUp(alice);
        Path plugin = fx.file("plugin.wasm", TestModules.example());

        Fixture.Run push = Fixture.client("push", plugin.toString(), "--server", fx.url(), "--token", token);

        assertThat(push.exit()).as(push.out() + push.err()).isZero();
        assertThat(push.out()).contains("accepted: version 1 of " + alice + "'s plugin is active")
                .contains("schema check: ok").contains("contract simulation: ").contains("server simulation example: ")
                .contains(" passed, 0 failed");
        assertThat(Files.readAllBytes(fx.pluginFile(alice))).isEqualTo(TestModules.example());

        Fixture.Mail mail = fx.new Mail();
        Outcome forbidden = mail.deliver("carol@example.org", alice, "About Project XYZ", "Any news?");
        assertThat(forbidden.exitCode()).as(forbidden.log()).isZero();
        assertThat(mail.submissions).as("the mail is delivered and the plugin's reply sent").hasSize(2);
        assertThat(mail.submissions.get(1).get(1)).contains("RE: About Project XYZ");

        Outcome plain = mail.deliver("carol@example.org", alice, "Lunch", "At noon?");
        assertThat(plain.exitCode()).isZero();
        assertThat(mail.submissions).as("no reply to other mail").hasSize(3);
    }

    @Test
    void aPluginReadingHeadersSubjectExactlyPassesTheGateAndSeesALowerCaseSubjectLine() throws Exception {
        String token = fx.signUp(alice);
        Fixture.Answer a = fx.push(token, TestModules.exactSubject());
        assertThat(a.status()).as(a.json().toString()).isEqualTo(201);

        Fixture.Mail mail = fx.new Mail();
        byte[] lowerCaseSubject = ("From: <carol@example.org>\nTo: <" + alice
                + ">\nsubject: About Project XYZ\n\nAny news?\n").getBytes(StandardCharsets.UTF_8);
        Outcome outcome = mail.filter.process("carol@example.org", alice, lowerCaseSubject);
        assertThat(outcome.exitCode()).as(outcome.log()).isZero();
        assertThat(mail.submissions).as("delivered, and the plugin's reply sent").hasSize(2);
        assertThat(mail.submissions.get(1).get(1)).contains("RE: About Project XYZ");
    }

    @Test
    void theGateLeavesThePluginsCompiledCodeWhereTheFilterLooksForIt() throws Exception {
        Path compiled = fx.store.resolve(".compiled");
        if (Files.exists(compiled)) {
            try (var files = Files.list(compiled)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        String token = fx.signUp(alice);
        assertThat(fx.push(token, TestModules.example()).status()).isEqualTo(201);

        try (var files = Files.list(compiled)) {
            assertThat(files.map(Path::toString)).anySatisfy(f -> assertThat(f).endsWith(".classes"));
        }
    }

    @Test
    void theAnswerOfAnAcceptedPushHasTheVersionDigestAndEverySimulation() throws Exception {
        String token = fx.signUp(alice);
        Fixture.Answer a = fx.push(token, TestModules.example());

        assertThat(a.status()).isEqualTo(201);
        JsonNode body = a.json();
        assertThat(body.path("result").asText()).isEqualTo("accepted");
        assertThat(body.path("version").asInt()).isEqualTo(1);
        assertThat(body.path("sha256").asText()).isEqualTo(dev.hackablemail.store.Digests.sha256Hex(TestModules.example()));
        assertThat(body.path("check").path("passed").asBoolean()).isTrue();
        assertThat(body.path("simulations")).hasSize(3);
        assertThat(body.path("simulations").get(0).path("name").asText()).isEqualTo("contract");
        assertThat(body.path("simulations").get(2).path("name").asText()).isEqualTo(FuzzGate.NAME);
        assertThat(body.path("simulations").get(2).path("kind").asText()).isEqualTo("fuzz");
        JsonNode email = body.path("simulations").get(1);
        assertThat(email.path("name").asText()).isEqualTo("example");
        assertThat(email.path("kind").asText()).isEqualTo("server");
        assertThat(email.path("successful").asBoolean()).isTrue();
        assertThat(email.path("passed").asInt()).isGreaterThan(20);
        assertThat(email.path("failed").asInt()).isZero();

        Fixture.Answer again = fx.push(token, TestModules.example());
        assertThat(again.status()).as("the same plugin again: checked, and nothing changes").isEqualTo(200);
        assertThat(again.json().path("unchanged").asBoolean()).isTrue();
        assertThat(again.json().path("version").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-deliver", "always-reply", "hide-failure"})
    void aPluginThatFailsTheSimulationIsRejectedWithTheFailedAssertsAndChangesNothing(String variant)
            throws Exception {
        String token = fx.signUp(alice);
        assertThat(fx.push(token, TestModules.example()).status()).isEqualTo(201);

        Fixture.Answer a = fx.push(token, TestModules.broken(variant));

        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().path("result").asText()).isEqualTo("rejected");
        assertThat(a.json().path("error").asText()).contains("was rejected by the server's checks")
                .contains("version 1 stays active").contains("xtp-sim plugin checks");
        assertThat(a.json().path("active").asInt()).isEqualTo(1);
        List<String> reasons = texts(a.json().path("reasons"));
        assertThat(reasons).isNotEmpty().anySatisfy(r -> assertThat(r).startsWith("server simulation example: "))
                .allSatisfy(r -> assertThat(r).startsWith(variant.equals("hide-failure")
                        ? "" : "server simulation example: "));
        JsonNode failures = a.json().path("simulations").get(1).path("failures");
        assertThat(failures.size()).isEqualTo(a.json().path("simulations").get(1).path("failed").asInt())
                .isGreaterThan(0);
        assertThat(failures.get(0).path("group").asText()).isNotEmpty();
        assertThat(Files.readAllBytes(fx.pluginFile(alice))).isEqualTo(TestModules.example());
        assertThat(fx.list(token).json().path("versions")).as("a rejected plugin gets no version").hasSize(1);

        Path broken = fx.file(variant + ".wasm", TestModules.broken(variant));
        Fixture.Run push = Fixture.client("push", broken.toString(), "--server", fx.url(), "--token", token);
        assertThat(push.exit()).isEqualTo(1);
        assertThat(push.out()).startsWith("rejected: ").contains("reasons:").contains("  - server simulation example: ");
        assertThat(Files.readAllBytes(fx.pluginFile(alice))).isEqualTo(TestModules.example());
    }

    @Test
    void aPluginWithoutOnEmailFailsTheSchemaCheckAndNoSimulationRuns() throws Exception {
        String token = fx.signUp(alice);
        assertThat(fx.push(token, TestModules.example()).status()).isEqualTo(201);

        Fixture.Answer a = fx.push(token, TestModules.withoutOnEmail());

        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().path("error").asText()).contains("the server's schema check");
        assertThat(a.json().path("check").path("passed").asBoolean()).isFalse();
        assertThat(texts(a.json().path("check").path("problems"))).anySatisfy(p -> assertThat(p)
                .contains("onEmail").contains("missing"));
        assertThat(a.json().path("simulations")).isEmpty();
        assertThat(Files.readAllBytes(fx.pluginFile(alice))).isEqualTo(TestModules.example());
    }

    @Test
    void garbageIsRejectedAsNotWasmAndAnEmptyUploadIsABadRequest() throws Exception {
        String token = fx.signUp(alice);
        assertThat(fx.push(token, TestModules.example()).status()).isEqualTo(201);

        Fixture.Answer garbage = fx.push(token, "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.status()).isEqualTo(422);
        assertThat(texts(garbage.json().path("reasons"))).singleElement().asString()
                .startsWith("schema check: plugin.wasm: not a valid Wasm module: it does not start with \\0asm");

        byte[] truncated = java.util.Arrays.copyOf(TestModules.example(), 5000);
        Fixture.Answer cut = fx.push(token, truncated);
        assertThat(cut.status()).isEqualTo(422);
        assertThat(texts(cut.json().path("reasons"))).isNotEmpty();

        Fixture.Answer empty = fx.push(token, new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("error").asText()).contains("empty");

        assertThat(Files.readAllBytes(fx.pluginFile(alice))).isEqualTo(TestModules.example());
        try (var files = Files.list(fx.pluginFile(alice).getParent().resolve("versions"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("no upload is left behind").noneMatch(n -> n.startsWith(".tmp-"));
        }
    }

    @Test
    void aWrongMissingOrRevokedTokenIsRefused() throws Exception {
        String token = fx.signUp(alice);

        Fixture.Answer none = fx.request("GET", "/api/v1/plugin", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(none.json().path("error").asText()).contains("no token");

        Fixture.Answer wrong = fx.push("not-" + token, TestModules.example());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("status").asInt()).isEqualTo(401);
        assertThat(Files.exists(fx.pluginFile(alice))).isFalse();

        Fixture.Run revoke = Fixture.admin("plugin", "revoke", "--config", fx.configFile.toString(), "--guest", alice);
        assertThat(revoke.exit()).as(revoke.err()).isZero();
        assertThat(revoke.out()).contains("revoked: " + alice + "'s token no longer works");

        assertThat(fx.push(token, TestModules.example()).status()).isEqualTo(401);
        Fixture.Run push = Fixture.client("push", fx.file("p.wasm", TestModules.example()).toString(),
                "--server", fx.url(), "--token", token);
        assertThat(push.exit()).isEqualTo(2);
        assertThat(push.err()).contains("HTTP 401").contains("unknown or revoked token");

        String renewed = fx.signUp(alice);
        assertThat(fx.push(renewed, TestModules.example()).status()).as("a new signup, a new token").isEqualTo(201);
    }

    @Test
    void aGuestCannotTouchAnotherGuestsPlugin() throws Exception {
        String aliceToken = fx.signUp(alice);
        String bobToken = fx.signUp(bob);
        assertThat(fx.push(aliceToken, TestModules.example()).status()).isEqualTo(201);

        String alicePath = "/api/v1/guests/" + alice + "/plugin";
        assertThat(fx.request("POST", alicePath, bobToken, TestModules.deliverOnly()).status()).isEqualTo(403);
        assertThat(fx.request("DELETE", alicePath, bobToken, null).status()).isEqualTo(403);
        assertThat(fx.request("GET", alicePath, bobToken, null).status()).isEqualTo(403);
        Fixture.Answer rollback = fx.request("POST", alicePath + "/rollback", bobToken,
                "{\"version\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(rollback.status()).isEqualTo(403);
        assertThat(rollback.json().path("error").asText()).contains("another guest");

        assertThat(fx.list(bobToken).json().path("versions")).as("bob's token sees bob's plugin").isEmpty();
        assertThat(Files.readAllBytes(fx.pluginFile(alice))).isEqualTo(TestModules.example());
        assertThat(fx.request("GET", alicePath, aliceToken, null).status()).as("her own, named").isEqualTo(200);
        assertThat(fx.request("GET", "/api/v1/guests/" + alice.toUpperCase() + "/plugin", aliceToken, null).status())
                .as("addresses compare as the store's keys do, case-insensitively").isEqualTo(200);
    }

    @Test
    void listShowsEveryVersionWithDigestTimeAndSimulationResult() throws Exception {
        String token = fx.signUp(alice);
        assertThat(fx.push(token, TestModules.example()).status()).isEqualTo(201);
        assertThat(fx.push(token, TestModules.variant(TestModules.example(), 1)).status()).isEqualTo(201);
        assertThat(fx.push(token, TestModules.broken("no-deliver")).status()).isEqualTo(422);

        JsonNode list = fx.list(token).json();
        assertThat(list.path("address").asText()).isEqualTo(alice);
        assertThat(list.path("active").asInt()).isEqualTo(2);
        assertThat(list.path("versions")).hasSize(2);
        JsonNode v1 = list.path("versions").get(0);
        assertThat(v1.path("version").asInt()).isEqualTo(1);
        assertThat(v1.path("sha256").asText()).isEqualTo(dev.hackablemail.store.Digests.sha256Hex(TestModules.example()));
        assertThat(v1.path("pushed").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(v1.path("by").asText()).isEqualTo("guest");
        assertThat(v1.path("active").asBoolean()).isFalse();
        assertThat(v1.path("simulations").get(0).path("name").asText()).isEqualTo("contract");
        assertThat(v1.path("simulations").get(1).path("name").asText()).isEqualTo("example");
        assertThat(v1.path("simulations").get(0).path("failed").asInt()).isZero();
        assertThat(list.path("versions").get(1).path("active").asBoolean()).isTrue();

        Fixture.Run text = Fixture.client("list", "--server", fx.url(), "--token", token);
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains(alice + ": version 2 is active").contains("VERSION")
                .containsPattern("\\* 2 +\\S+Z").contains("contract 75/75, example 66/66");
        Fixture.Run json = Fixture.client("list", "--server", fx.url(), "--token", token, "--json");
        assertThat(Fixture.JSON.readTree(json.out()).path("versions")).hasSize(2);
    }

    @Test
    void removeLetsMailPassThroughAndRollbackBringsThePluginBack() throws Exception {
        String token = fx.signUp(alice);
        assertThat(fx.push(token, TestModules.example()).status()).isEqualTo(201);

        Fixture.Run remove = Fixture.client("remove", "--server", fx.url(), "--token", token);
        assertThat(remove.exit()).as(remove.err()).isZero();
        assertThat(remove.out()).contains("removed: " + alice + " has no active plugin now");
        assertThat(Files.exists(fx.pluginFile(alice))).isFalse();
        assertThat(fx.list(token).json().path("active").isNull()).isTrue();

        Fixture.Mail mail = fx.new Mail();
        assertThat(mail.deliver("carol@example.org", alice, "Project XYZ", "news").exitCode()).isZero();
        assertThat(mail.submissions).as("passed through, no reply").hasSize(1);

        Fixture.Run rollback = Fixture.client("rollback", "1", "--server", fx.url(), "--token", token);
        assertThat(rollback.exit()).as(rollback.out() + rollback.err()).isZero();
        assertThat(rollback.out()).contains("back to version 1");
        assertThat(Files.readAllBytes(fx.pluginFile(alice))).isEqualTo(TestModules.example());
        assertThat(mail.deliver("dave@example.org", alice, "Project XYZ", "news").exitCode()).isZero();
        assertThat(mail.submissions).as("the plugin replies again").hasSize(3);
    }

    @Test
    void anUploadOverMaxUploadIs413() throws Exception {
        String token = fx.signUp(alice);
        byte[] big = new byte[(64 << 10) + 1];
        System.arraycopy(TestModules.example(), 0, big, 0, TestModules.example().length);

        Fixture.Answer a = fx.push(token, big);
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.json().path("error").asText()).contains("at most 65536 bytes");

        Fixture.Run push = Fixture.client("push", fx.file("big.wasm", big).toString(), "--server", fx.url(),
                "--token", token);
        assertThat(push.exit()).as("the plugin is refused").isEqualTo(1);
        assertThat(push.err()).contains("HTTP 413");
        assertThat(Files.exists(fx.pluginFile(alice))).isFalse();
    }

    @Test
    void badRequestsGetJsonErrorsWithTheirStatus() throws Exception {
        String token = fx.signUp(alice);

        Fixture.Answer unknown = fx.request("GET", "/api/v1/nothing", token, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).contains("no such endpoint");

        Fixture.Answer method = fx.request("PUT", "/api/v1/plugin", token, TestModules.example());
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().path("status").asInt()).isEqualTo(405);

        Fixture.Answer badJson = fx.request("POST", "/api/v1/plugin/rollback", token,
                "version=1".getBytes(StandardCharsets.UTF_8));
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().path("error").asText()).contains("{\"version\": N}");

        Fixture.Answer noVersion = fx.rollback(token, 7);
        assertThat(noVersion.status()).isEqualTo(404);
        assertThat(noVersion.json().path("error").asText()).contains("no version 7");

        assertThat(fx.request("GET", "/api/v1/plugin/versions/x", token, null).status()).isEqualTo(400);
        assertThat(fx.request("GET", "/api/v1/plugin/versions/3", token, null).status()).isEqualTo(404);

        Fixture.Answer health = fx.request("GET", "/healthz", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() throws Exception {
        // A NUL (and other ambiguous URIs) is refused by Jetty before any route: raw HTTP,
        // since java.net.http would not send such a path.
        for (String path : List.of("/api/v1/plugin/%00", "/api/v1/%2e%2e/plugin", "/api/v1/plugin/%")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", java.net.URI.create(fx.url()).getPort())) {
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String status = response.substring(0, response.indexOf("\r\n"));
                String body = response.substring(response.indexOf("\r\n\r\n") + 4);
                assertThat(status).as(path).startsWith("HTTP/1.1 4");
                assertThat(response).as(path).containsIgnoringCase("content-type: application/json");
                JsonNode json = Fixture.JSON.readTree(body);
                assertThat(json.path("status").asInt()).as(body).isEqualTo(Integer.parseInt(status.substring(9, 12)));
                assertThat(json.path("error").asText()).as(body).isNotEmpty();
            }
        }
    }

    @Test
    void afterARevocationTheNextSignupMailIssuesANewTokenAndTheOneAfterIsSuppressedAgain() throws Exception {
        Fixture.Mail mail = fx.new Mail();
        java.util.function.Supplier<String> signUp = () -> {
            int before = mail.submissions.size();
            Outcome outcome = mail.deliver(alice, Fixture.Mail.SIGNUP_ADDRESS, "/hackablemail signup", "please");
            assertThat(outcome.exitCode()).as(outcome.log()).isZero();
            if (mail.submissions.size() == before) {
                return null;
            }
            java.util.regex.Matcher token = java.util.regex.Pattern.compile("HACKABLE_EMAIL_TOKEN=(\\S+)")
                    .matcher(mail.submissions.get(before).get(1));
            assertThat(token.find()).isTrue();
            return token.group(1);
        };
        String first = signUp.get();
        assertThat(first).isNotNull();
        assertThat(signUp.get()).as("within signup_period").isNull();

        Fixture.Run revoke = Fixture.admin("plugin", "revoke", "--config", fx.configFile.toString(), "--guest", alice);
        assertThat(revoke.exit()).as(revoke.err()).isZero();

        String second = signUp.get();
        assertThat(second).as("the first signup after the revocation is answered").isNotNull().isNotEqualTo(first);
        assertThat(fx.push(second, TestModules.example()).status()).isEqualTo(201);
        assertThat(fx.push(first, TestModules.example()).status()).isEqualTo(401);
        assertThat(signUp.get()).as("the next one is suppressed again").isNull();
    }

    @Test
    void aMalformedChunkedUploadIsAJson400() throws Exception {
        String token = fx.signUp(alice);
        // "zz" is not a hexadecimal chunk size: the body breaks while the route reads it
        for (String body : List.of("zz\r\nabc\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", java.net.URI.create(fx.url()).getPort())) {
                socket.getOutputStream().write(("POST /api/v1/plugin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + token + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String status = response.substring(0, response.indexOf("\r\n"));
                String json = response.substring(response.indexOf("\r\n\r\n") + 4);
                assertThat(status).as(response).startsWith("HTTP/1.1 400");
                assertThat(response).containsIgnoringCase("content-type: application/json");
                assertThat(Fixture.JSON.readTree(json).path("error").asText()).as(json)
                        .contains("the request body is malformed").doesNotContain("Exception");
            }
        }
    }

    @Test
    void aGuestDeclaresAliasesAndReadsThemBack() throws Exception {
        String token = fx.signUp(alice);
        assertThat(fx.request("GET", "/api/v1/aliases", token, null).json().path("aliases")).isEmpty();

        Fixture.Answer set = fx.request("PUT", "/api/v1/aliases", token,
                "[\"a.smith@example.com\", \"Sales@Example.com\", \"sales@example.com\"]".getBytes(StandardCharsets.UTF_8));
        assertThat(set.status()).as(String.valueOf(set.json())).isEqualTo(200);
        assertThat(set.json().path("aliases")).extracting(JsonNode::asText)
                .containsExactly("a.smith@example.com", "Sales@Example.com");
        try (dev.hackablemail.store.GuestStore store = fx.config.store().open(false)) {
            assertThat(store.addressesOf(alice)).containsExactly(alice, "a.smith@example.com", "Sales@Example.com");
            assertThat(store.auditTrail(alice)).extracting(e -> e.get("action")).contains("aliases");
        }

        Fixture.Answer notAList = fx.request("PUT", "/api/v1/aliases", token,
                "{\"aliases\": 1}".getBytes(StandardCharsets.UTF_8));
        assertThat(notAList.status()).isEqualTo(400);
        assertThat(notAList.json().path("error").asText()).contains("JSON list");
        Fixture.Answer own = fx.request("PUT", "/api/v1/aliases", token,
                ("[\"" + alice.toUpperCase(java.util.Locale.ROOT) + "\"]").getBytes(StandardCharsets.UTF_8));
        assertThat(own.status()).isEqualTo(400);
        Fixture.Answer bad = fx.request("PUT", "/api/v1/aliases", token, "[\"no address\"]".getBytes(StandardCharsets.UTF_8));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(fx.request("GET", "/api/v1/aliases", null, null).status()).isEqualTo(401);
    }

    @Test
    void aGuestCanDownloadAKeptVersion() throws Exception {
        String token = fx.signUp(alice);
        fx.push(token, TestModules.example());
        java.net.http.HttpResponse<byte[]> r = fx.http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(fx.url() + "/api/v1/plugin/versions/1"))
                .header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestModules.example());
    }

    @Test
    void theClientExits2WhenItCannotReachTheServerOrLacksArguments() throws Exception {
        Fixture.Run noServer = Fixture.client("list", "--token", "t", "--server", "http://127.0.0.1:1");
        assertThat(noServer.exit()).isEqualTo(2);
        assertThat(noServer.err()).contains("could not reach http://127.0.0.1:1");

        Fixture.Run notUrl = Fixture.client("list", "--token", "t", "--server", "mail.example.com");
        assertThat(notUrl.exit()).isEqualTo(2);
        assertThat(notUrl.err()).contains("--server must be an http(s) URL");

        Fixture.Run noFile = Fixture.client("push", dir.resolve("missing.wasm").toString(), "--server", fx.url(),
                "--token", "t");
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).contains("no such file");

        Fixture.Run noArgs = Fixture.client("push");
        assertThat(noArgs.exit()).isEqualTo(2);
    }

    @Test
    void pushedPluginsDoNotStayInTheRunnersModuleCache() throws Exception {
        String token = fx.signUp(alice);
        assertThat(fx.push(token, TestModules.variant(TestModules.example(), 100)).status()).isEqualTo(201);
        int before = dev.hackablemail.runner.guest.GuestModule.cachedModules();
        for (int i = 101; i < 104; i++) {
            assertThat(fx.push(token, TestModules.variant(TestModules.example(), i)).status()).isEqualTo(201);
            assertThat(fx.push(token, TestModules.variant(TestModules.broken("no-deliver"), i)).status())
                    .isEqualTo(422);
        }
        assertThat(dev.hackablemail.runner.guest.GuestModule.cachedModules()).isLessThanOrEqualTo(before);
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
