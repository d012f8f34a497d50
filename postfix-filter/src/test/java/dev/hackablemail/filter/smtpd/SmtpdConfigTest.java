package dev.hackablemail.filter.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hackablemail.filter.FilterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpdConfigTest {

    @TempDir
    Path tmp;

    @Test
    void defaultsAreFilterReadmesPorts() {
        FilterConfig filter = FilterConfig.fromMap(Map.of("store", tmp.toString()), "test");
        SmtpdConfig c = SmtpdConfig.fromSection(null, filter, "test");
        assertThat(c.listen()).hasToString("127.0.0.1:10025");
        assertThat(c.reinject()).hasToString("127.0.0.1:10026");
        assertThat(c.maxSessions()).isEqualTo(40);
        assertThat(c.journal()).isEqualTo(tmp.resolve(".smtpd-journal"));
        assertThat(c.journalPeriod()).isEqualTo(Duration.ofDays(5));
        assertThat(c.metrics()).isNull();
        assertThat(c.reinjectPolicy()).as("off: it needs its master.cf line").isNull();
    }

    @Test
    void theSectionIsReadFromTheFiltersFileWhichAcceptsIt() throws Exception {
        Path file = tmp.resolve("filter.yaml");
        Files.writeString(file, "store: " + tmp + "\nsmtpd:\n  listen: 127.0.0.1:2525\n  reinject: '[::1]:2526'\n"
                + "  max_sessions: 4\n  shutdown_timeout: 5s\n  metrics: 127.0.0.1:9025\n  reinject_policy: 127.0.0.1:10027\n");
        FilterConfig filter = FilterConfig.load(file);
        SmtpdConfig c = SmtpdConfig.load(file, filter);
        assertThat(c.listen()).isEqualTo(new SmtpdConfig.HostPort("127.0.0.1", 2525));
        assertThat(c.reinject()).isEqualTo(new SmtpdConfig.HostPort("::1", 2526));
        assertThat(c.maxSessions()).isEqualTo(4);
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.metrics().port()).isEqualTo(9025);
        assertThat(c.reinjectPolicy()).isEqualTo(new SmtpdConfig.HostPort("127.0.0.1", 10027));
    }

    @Test
    void mistakesNameTheFileAndTheKey() throws Exception {
        Path file = tmp.resolve("filter.yaml");
        FilterConfig filter = FilterConfig.defaults();
        Files.writeString(file, "smtpd:\n  listne: 127.0.0.1:2525\n");
        assertThatThrownBy(() -> SmtpdConfig.load(file, filter)).hasMessageContaining(file + ": smtpd: unknown setting 'listne'");
        Files.writeString(file, "smtpd:\n  listen: localhost\n");
        assertThatThrownBy(() -> SmtpdConfig.load(file, filter)).hasMessageContaining("smtpd: listen: expected HOST:PORT");
        Files.writeString(file, "smtpd:\n  max_sessions: 0\n");
        assertThatThrownBy(() -> SmtpdConfig.load(file, filter)).hasMessageContaining("smtpd: max_sessions must be");
        Files.writeString(file, "smtpd: 10025\n");
        assertThatThrownBy(() -> SmtpdConfig.load(file, filter)).hasMessageContaining("smtpd: expected a mapping");
    }
}
