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
 * to take its time.
 */
final class RecordingSmtpServer implements AutoCloseable {

    record Received(String sender, String recipient, byte[] bytes) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile int failWith;
    volatile long delayMillis;
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
