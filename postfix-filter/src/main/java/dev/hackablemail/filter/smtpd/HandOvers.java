package dev.hackablemail.filter.smtpd;

import java.io.IOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * When a delivery counts as handed over, so that the journal records it: when the
 * re-injection server has passed its last check before committing the message, or else on
 * its 250.
 *
 * <p>SMTP has no two-phase commit (RFC 1047): a daemon killed after the re-injection server
 * committed a message and before the daemon wrote it down sees the message again on
 * Postfix's retry and would deliver it twice. With {@code smtpd_end_of_data_restrictions =
 * check_policy_service} on the re-injection listener, Postfix asks the daemon's
 * {@link PolicyServer} once it has the whole message; after the answer {@code DUNNO} it
 * commits the queue file whether or not the daemon still lives, and without an answer it
 * does not commit (its default action is 451, with {@code smtpd_policy_service_try_limit = 1}
 * not even a second try that a restarted daemon could answer). So the key is written right
 * before that answer, under the delivery's lock: a daemon killed before has not handed the
 * message over (the retry delivers it), one killed after finds the key.
 *
 * <p>What is left: a kill between the two writes (the journal line, then the answer, one
 * system call each) loses the message (recorded, never committed), and the answer's write
 * wakes Postfix, so answering first would leave the daemon's thread waiting for a CPU with
 * the message committed and not recorded (the end-to-end test saw that once in 120
 * messages on two busy cores). Writing first leaves no wake-up between the two calls; a
 * queue-file error after the answer while the daemon is dead loses the message too
 * (alive, the daemon takes the record back).
 *
 * <p>The policy request is matched to the delivery by the client port of the re-injection
 * connection (one message at a time on a connection), then by sender and recipient. A
 * request nothing matches (a reply, a message of another client) is answered {@code DUNNO}
 * and records nothing. When the server refuses the message after the answer (4xx or 5xx at
 * the end of DATA: its queue file could not be written), the record is taken back. When no
 * answer came after the policy answer (a timeout, a lost connection), the record is kept:
 * Postfix commits after {@code DUNNO} whether or not its client is still there, so Postfix's
 * retry of the daemon's 4xx is answered "already delivered". A delivery the daemon gave up
 * before the policy request came (no answer to the end of DATA within the re-injection
 * timeout) stays known by its port: a late request for it is answered {@value #GIVEN_UP}, so
 * that the server does not commit the copy the daemon no longer waits for.
 */
final class HandOvers {

    /** The policy protocol's state of the request sent at the end of DATA. */
    static final String END_OF_MESSAGE = "END-OF-MESSAGE";

    /** The policy answer to a late request for a delivery the daemon gave up: the server must not commit it. */
    static final String GIVEN_UP = "451 4.3.0 hackable-email gave up this delivery, it is retried";
    /** Given-up deliveries kept for a late request at most (the oldest are dropped). */
    static final int MAX_GIVEN_UP = 1024;

    private final DeliveryJournal journal;
    private final Metrics metrics;
    private final Map<Integer, HandOver> byClientPort = new ConcurrentHashMap<>();
    private final Queue<HandOver> givenUp = new ConcurrentLinkedQueue<>();

    HandOvers(DeliveryJournal journal, Metrics metrics) {
        this.journal = journal;
        this.metrics = metrics;
    }

    /** Answers a policy request. */
    @FunctionalInterface
    interface Answer {
        void send(String action) throws IOException;
    }

    /** A delivery of the message with {@code key} that is about to be re-injected. */
    HandOver start(String key, String sender, String recipient) {
        return new HandOver(key, sender, recipient);
    }

    /**
     * Answers the re-injection server's policy request ({@code DUNNO}, always: the daemon
     * checks nothing there), and records the delivery it belongs to, if any.
     *
     * @return whether a delivery was recorded
     * @throws IOException when the answer could not be sent (nothing is recorded then)
     */
    boolean endOfData(Map<String, String> request, Answer answer) throws IOException {
        HandOver delivery = matching(request);
        if (delivery == null) {
            answer.send("DUNNO");
            return false;
        }
        return delivery.answered(answer);
    }

    private HandOver matching(Map<String, String> request) {
        if (!END_OF_MESSAGE.equals(request.get("protocol_state"))) {
            return null;
        }
        HandOver delivery;
        try {
            delivery = byClientPort.get(Integer.parseInt(request.getOrDefault("client_port", "")));
        } catch (NumberFormatException e) {
            return null;
        }
        if (delivery == null || !delivery.sender.equalsIgnoreCase(request.getOrDefault("sender", ""))
                || !delivery.recipient.equalsIgnoreCase(request.getOrDefault("recipient", ""))) {
            return null;
        }
        return delivery;
    }

    /** Deliveries in flight on a known connection now (for the tests). */
    int inFlight() {
        return byClientPort.size();
    }

    /** One delivery: its connection's port, whether the policy hop recorded it, whether it ended. */
    final class HandOver implements SmtpReinjection.Watch {
        private final String key;
        private final String sender;
        private final String recipient;
        private int clientPort = -1;
        private boolean recorded;
        private boolean finished;
        /** The server's 4xx/5xx reply that ended the delivery, 0 when none came. */
        private int refusedWith;

        private HandOver(String key, String sender, String recipient) {
            this.key = key;
            this.sender = sender;
            this.recipient = recipient;
        }

        /** The local port of the connection that carries the message, told before MAIL FROM. */
        @Override
        public synchronized void via(int port) {
            if (finished || port < 0) {
                return;
            }
            if (clientPort >= 0) {
                byClientPort.remove(clientPort, this);
            }
            clientPort = port;
            byClientPort.put(port, this);
        }

        @Override
        public synchronized void refused(int replyCode) {
            refusedWith = replyCode;
        }

        private synchronized boolean answered(Answer answer) throws IOException {
            if (finished && !recorded && refusedWith == 0) {
                answer.send(GIVEN_UP);
                return false;
            }
            if (finished || recorded) {
                answer.send("DUNNO");
                return false;
            }
            try {
                journal.record(key);
            } catch (IOException | RuntimeException e) {
                metrics.journalFailed(); // tried again on the server's 250
                answer.send("DUNNO");
                return false;
            }
            recorded = true;
            try {
                answer.send("DUNNO");
            } catch (IOException e) {
                recorded = false; // Postfix did not get it: it does not commit the message
                journal.forget(key);
                throw e;
            }
            metrics.handedOverAtEndOfData();
            return true;
        }

        /**
         * The re-injection's result: accepted and not yet recorded, the key is recorded now
         * (as without the policy hop); refused by the server after the policy hop recorded it,
         * the record is taken back, so that Postfix's retry delivers the message; failed
         * without an answer, a record is kept, and a delivery not yet recorded is remembered
         * as given up (see the class comment).
         *
         * @throws IOException when the journal could not be written
         */
        synchronized void finish(boolean accepted) throws IOException {
            finished = true;
            if (!accepted && !recorded && refusedWith == 0 && clientPort >= 0) {
                keepGivenUp(this);
                return;
            }
            if (clientPort >= 0) {
                byClientPort.remove(clientPort, this);
            }
            if (accepted && !recorded) {
                journal.record(key);
                recorded = true;
            } else if (!accepted && recorded && refusedWith != 0) {
                journal.forget(key);
                recorded = false;
            }
        }
    }

    private void keepGivenUp(HandOver delivery) {
        givenUp.add(delivery);
        while (givenUp.size() > MAX_GIVEN_UP) {
            HandOver oldest = givenUp.poll();
            if (oldest != null) {
                byClientPort.remove(oldest.clientPort, oldest);
            }
        }
    }
}
