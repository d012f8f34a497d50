package dev.hackablemail.filter.smtpd;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The re-injection server of the tests: an SMTP server on a free loopback port that records
 * every message it takes (envelope and bytes as received), and can be told to answer 451 or
 * to take its time, and to ask a policy service at the end of DATA as Postfix's
 * {@code smtpd_end_of_data_restrictions = check_policy_service} does (then {@link #atEndOfData}
 * runs once the answer came, before the message is taken or refused).
 */
final class RecordingSmtpServer implements AutoCloseable {

    record Received(String sender, String recipient, byte[] bytes) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile int failWith;
    volatile long delayMillis;
    /** How long the end of DATA waits before the policy request (a busy Postfix smtpd). */
    volatile long policyDelayMillis;
    volatile SmtpdConfig.HostPort policy;
    volatile Runnable atEndOfData = () -> { };
    final List<String> policyAnswers = new CopyOnWriteArrayList<>();
    private final SMTPServer server;

    RecordingSmtpServer() throws IOException {
        server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .insertReceivedHeaders(false)
                .fromAddressValidator(a -> true)
                .messageHandlerFactory(context -> new MessageHandler() {
                    String from;
                    String to;

                    @Override
                    public void from(String address) {
                        from = address;
                    }

                    @Override
                    public void recipient(String address) {
                        to = address;
                    }

                    @Override
                    public String data(InputStream data) throws RejectException, IOException {
                        byte[] bytes = data.readAllBytes();
                        if (policy != null) {
                            sleep(policyDelayMillis);
                            int port = ((java.net.InetSocketAddress) context.getRemoteAddress()).getPort();
                            String answer = askPolicy(policy, "request=smtpd_access_policy\nprotocol_state=END-OF-MESSAGE\n"
                                    + "protocol_name=ESMTP\nclient_address=127.0.0.1\nclient_port=" + port + "\nsender=" + from
                                    + "\nrecipient=" + to + "\nrecipient_count=1\nsize=" + bytes.length + "\n\n");
                            policyAnswers.add(answer);
                            atEndOfData.run();
                            if (!answer.equals("action=DUNNO")) { // as Postfix does with "action=451 ..."
                                throw new RejectException(451, answer.substring("action=".length()));
                            }
                        }
                        sleep(delayMillis);
                        if (failWith != 0) {
                            throw new RejectException(failWith, failWith / 100 + ".3.0 simulated outage");
                        }
                        received.add(new Received(from, to, bytes));
                        return null;
                    }

                    @Override
                    public void done() {}
                })
                .build();
        server.start();
    }

    /** Sends one policy request on a connection of its own; the answer, its empty line left out. */
    static String askPolicy(SmtpdConfig.HostPort service, String request) throws IOException {
        try (java.net.Socket s = new java.net.Socket(service.host(), service.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            for (String line; (line = in.readLine()) != null && !line.isEmpty();) {
                answer.append(line);
            }
            return answer.toString();
        }
    }

    SmtpdConfig.HostPort address() {
        return new SmtpdConfig.HostPort("127.0.0.1", server.getPortAllocated());
    }

    List<Received> to(String recipient) {
        return received.stream().filter(r -> r.recipient().equals(recipient)).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
