package dev.hackablemail.filter.smtpd;

import static dev.hackablemail.filter.smtpd.RecordingSmtpServer.askPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.FilterLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy service and the hand-over it records, spoken to as Postfix's smtpd would. */
class PolicyServerTest {

    static final String KEY = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;
    DeliveryJournal journal;
    HandOvers handOvers;
    PolicyServer server;

    @BeforeEach
    void setUp() throws IOException {
        journal = DeliveryJournal.open(tmp.resolve("journal"), Duration.ofDays(1), Clock.systemUTC());
        handOvers = new HandOvers(journal, new Metrics());
        FilterConfig config = FilterConfig.fromMap(Map.of("store", tmp.toString(),
                "log", tmp.resolve("filter.log").toString()), "test");
        server = PolicyServer.start(new SmtpdConfig.HostPort("127.0.0.1", 0), handOvers, new Metrics(),
                FilterLog.of(config, Clock.systemUTC()), 4);
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
        journal.close();
    }

    static String endOfData(int clientPort, String sender, String recipient) {
        return "request=smtpd_access_policy\nprotocol_state=END-OF-MESSAGE\nprotocol_name=ESMTP\n"
                + "helo_name=mx.example\nqueue_id=4C1D2E3F\nclient_address=127.0.0.1\nclient_port=" + clientPort
                + "\nsender=" + sender + "\nrecipient=" + recipient + "\nrecipient_count=1\nsize=321\n\n";
    }

    @Test
    void theDeliveryOnThatPortIsJournaledBeforeTheAnswerAndKeptWhenTheServerTakesIt() throws Exception {
        HandOvers.HandOver delivery = handOvers.start(KEY, "alice@example.org", "bob@example.com");
        delivery.via(40001);

        assertThat(askPolicy(server.address(), endOfData(40001, "alice@example.org", "bob@example.com")))
                .isEqualTo("action=DUNNO");
        assertThat(journal.deliveredAt(KEY)).as("recorded when the answer came").isNotNull();

        delivery.finish(true);
        assertThat(journal.deliveredAt(KEY)).isNotNull();
        assertThat(handOvers.inFlight()).isZero();
    }

    @Test
    void aRefusalAfterTheAnswerTakesTheRecordBack() throws Exception {
        HandOvers.HandOver delivery = handOvers.start(KEY, "alice@example.org", "bob@example.com");
        delivery.via(40002);
        askPolicy(server.address(), endOfData(40002, "alice@example.org", "bob@example.com"));

        delivery.refused(451); // e.g. 451 4.3.0 queue file write error
        delivery.finish(false);

        assertThat(journal.deliveredAt(KEY)).as("Postfix's retry must deliver it").isNull();
    }

    @Test
    void noAnswerAfterThePolicyAnswerKeepsTheRecord() throws Exception {
        HandOvers.HandOver delivery = handOvers.start(KEY, "alice@example.org", "bob@example.com");
        delivery.via(40006);
        askPolicy(server.address(), endOfData(40006, "alice@example.org", "bob@example.com"));

        delivery.finish(false); // a timeout or a lost connection: Postfix commits after DUNNO

        assertThat(journal.deliveredAt(KEY)).as("Postfix's retry must not deliver it again").isNotNull();
    }

    @Test
    void aLateRequestForADeliveryGivenUpIsRefusedSoThatItIsNotCommitted() throws Exception {
        HandOvers.HandOver delivery = handOvers.start(KEY, "alice@example.org", "bob@example.com");
        delivery.via(40007);
        delivery.finish(false); // no answer to the end of DATA within the timeout: the daemon answered 4xx

        assertThat(askPolicy(server.address(), endOfData(40007, "alice@example.org", "bob@example.com")))
                .isEqualTo("action=" + HandOvers.GIVEN_UP);
        assertThat(journal.size()).isZero();

        HandOvers.HandOver next = handOvers.start(KEY, "alice@example.org", "bob@example.com");
        next.via(40007); // the port used again by a new connection: the request is the new delivery's
        assertThat(askPolicy(server.address(), endOfData(40007, "alice@example.org", "bob@example.com")))
                .isEqualTo("action=DUNNO");
        assertThat(journal.deliveredAt(KEY)).isNotNull();
    }

    @Test
    void aDeliveryTheServerRefusedIsForgottenAndOnlyTheNewestGivenUpAreKept() throws Exception {
        HandOvers.HandOver refused = handOvers.start(KEY, "alice@example.org", "bob@example.com");
        refused.via(1);
        refused.refused(554);
        refused.finish(false);
        assertThat(handOvers.inFlight()).as("the server ended that transaction itself").isZero();

        for (int port = 2; port <= HandOvers.MAX_GIVEN_UP + 11; port++) {
            HandOvers.HandOver gaveUp = handOvers.start(KEY, "alice@example.org", "bob@example.com");
            gaveUp.via(port);
            gaveUp.finish(false);
        }
        assertThat(handOvers.inFlight()).isEqualTo(HandOvers.MAX_GIVEN_UP);
    }

    @Test
    void withoutAPolicyRequestTheKeyIsRecordedOnTheServersAcceptance() throws Exception {
        HandOvers.HandOver delivery = handOvers.start(KEY, "alice@example.org", "bob@example.com");
        delivery.via(40003);
        assertThat(journal.deliveredAt(KEY)).isNull();

        delivery.finish(true);

        assertThat(journal.deliveredAt(KEY)).isNotNull();
    }

    @Test
    void aRequestForAnUnknownOrUnrelatedTransactionIsAnsweredDunnoAndRecordsNothing() throws Exception {
        HandOvers.HandOver delivery = handOvers.start(KEY, "alice@example.org", "bob@example.com");
        delivery.via(40004);

        assertThat(askPolicy(server.address(), endOfData(40005, "alice@example.org", "bob@example.com")))
                .as("another port").isEqualTo("action=DUNNO");
        assertThat(askPolicy(server.address(), endOfData(40004, "", "alice@example.org")))
                .as("that port, another envelope (a reply)").isEqualTo("action=DUNNO");
        assertThat(askPolicy(server.address(), endOfData(40004, "alice@example.org", "bob@example.com")
                .replace("END-OF-MESSAGE", "RCPT"))).as("another stage").isEqualTo("action=DUNNO");
        assertThat(askPolicy(server.address(), "request=smtpd_access_policy\nclient_port=x\n\n"))
                .as("no usable port").isEqualTo("action=DUNNO");

        assertThat(journal.size()).isZero();
    }

    @Test
    void aConnectionCarriesManyRequestsAndCrLfLinesAreRead() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.address().port())) {
            s.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write(endOfData(1, "a@x", "b@y").replace("\n", "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readAnswer(s.getInputStream())).isEqualTo("action=DUNNO\n\n");
            }
        }
    }

    @Test
    void aMalformedRequestClosesItsConnectionOnlyAndIsLogged() throws Exception {
        try (Socket bad = new Socket("127.0.0.1", server.address().port())) {
            bad.setSoTimeout(10_000);
            bad.getOutputStream().write("this is not the policy protocol\n\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(bad.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
        }
        try (Socket longLine = new Socket("127.0.0.1", server.address().port())) {
            longLine.setSoTimeout(10_000);
            longLine.getOutputStream().write(("sender=" + "x".repeat(PolicyServer.MAX_LINE) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(longLine.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket cut = new Socket("127.0.0.1", server.address().port())) {
            cut.getOutputStream().write("request=smtpd_access_policy\nclient_po".getBytes(StandardCharsets.US_ASCII));
        } // a request cut short by the peer

        assertThat(askPolicy(server.address(), endOfData(1, "a@x", "b@y"))).as("still serving").isEqualTo("action=DUNNO");
        assertThat(Files.readString(tmp.resolve("filter.log")))
                .contains("policy service: a line that is not name=value from /127.0.0.1:",
                        "policy service: a line longer than 8192 bytes")
                .doesNotContain("Exception"); // reasons, not class names
    }

    @Test
    void aRequestThatNeverEndsOrIsTooLargeIsCutOff() throws Exception {
        String repeated = "a=b\n".repeat(PolicyServer.MAX_REQUEST / 4 + 1); // one name forever: no new attribute
        StringBuilder large = new StringBuilder();
        for (int i = 0; large.length() <= PolicyServer.MAX_REQUEST; i++) { // under the line and attribute limits
            large.append("name").append(i).append('=').append("v".repeat(4000)).append('\n');
        }
        for (String request : java.util.List.of(repeated, large.toString())) {
            try (Socket s = new Socket("127.0.0.1", server.address().port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                assertThat(endOrReset(s)).as("closed without an answer").isEqualTo(-1);
            }
        }
        assertThat(askPolicy(server.address(), endOfData(1, "a@x", "b@y"))).isEqualTo("action=DUNNO");
        assertThat(Files.readString(tmp.resolve("filter.log")))
                .contains("policy service: a request of more than 65536 characters from /127.0.0.1:");
    }

    @Test
    void connectionsOverTheLimitAreClosed() throws Exception {
        Socket[] open = new Socket[4];
        try {
            for (int i = 0; i < open.length; i++) {
                open[i] = new Socket("127.0.0.1", server.address().port());
                open[i].getOutputStream().write(endOfData(1, "a@x", "b@y").getBytes(StandardCharsets.US_ASCII));
                open[i].setSoTimeout(10_000);
                assertThat(readAnswer(open[i].getInputStream())).isEqualTo("action=DUNNO\n\n");
            }
            try (Socket fifth = new Socket("127.0.0.1", server.address().port())) {
                fifth.setSoTimeout(10_000);
                assertThat(fifth.getInputStream().read()).isEqualTo(-1);
            }
        } finally {
            for (Socket s : open) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /** The first byte read, -1 at the end; a reset (the server closed with bytes unread) counts as the end. */
    private static int endOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        while (!answer.toString().endsWith("\n\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            answer.append((char) b);
        }
        return answer.toString();
    }
}
