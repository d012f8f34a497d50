package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hackablemail.runner.guest.Execution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterConfigTest {

    @TempDir
    Path tmp;

    FilterConfig load(String yaml) throws IOException {
        Path f = tmp.resolve("filter.yaml");
        Files.writeString(f, yaml);
        return FilterConfig.load(f);
    }

    @Test
    void defaults() {
        FilterConfig c = FilterConfig.defaults();
        assertThat(c.store().folder()).isEqualTo(Path.of("/var/lib/hackable-email/store"));
        assertThat(c.store().cache()).isEqualTo(Path.of("/var/lib/hackable-email/store/.compiled"));
        assertThat(c.sendmail()).containsExactly("/usr/sbin/sendmail");
        assertThat(c.logFile()).isEqualTo(Path.of("/var/lib/hackable-email/store/filter.log"));
        assertThat(c.replyPeriod()).isEqualTo(Duration.ofDays(7));
        assertThat(c.limits().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.limits().maxMemoryPages()).isEqualTo(1024);
        assertThat(c.timeLimit()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.timeLimit()).isLessThan(Duration.ofSeconds(1000)); // Postfix's command_time_limit
        assertThat(c.signupAddress()).isNull();
        assertThat(c.execution()).isEqualTo(Execution.COMPILER);
    }

    @Test
    void aPostgresqlStoreKeepsItsLogAndCacheOnThisMachine() throws IOException {
        FilterConfig c = load("store: postgresql://mail@db.example.com:5432/hackable\n"
                + "store_password_file: /etc/hackable-email/db-password\n"
                + "cache: /var/cache/hackable\n");
        assertThat(c.store().isFolder()).isFalse();
        assertThat(c.store().passwordFile()).isEqualTo(Path.of("/etc/hackable-email/db-password"));
        assertThat(c.store().cache()).isEqualTo(Path.of("/var/cache/hackable"));
        assertThat(c.logFile()).isEqualTo(Path.of("/var/cache/hackable/filter.log"));
        assertThat(c.with(java.util.Map.of("store", "/srv/other")).store().cache())
                .isEqualTo(Path.of("/srv/other/.compiled"));
    }

    @Test
    void aBadStoreUrlNamesTheFile() {
        assertThatThrownBy(() -> load("store: postgresql://db.example.com/hackable\n"))
                .isInstanceOf(FilterConfig.ConfigException.class)
                .hasMessageContaining("filter.yaml").hasMessageContaining("USER@HOST:PORT/DATABASE");
    }

    @Test
    void everySettingCanBeSet() throws IOException {
        FilterConfig c = load("store: /srv/store\n"
                + "sendmail: /usr/sbin/sendmail -C /tmp/x/etc\n"
                + "sendmail_timeout: 5s\n"
                + "log: /var/log/hackable.log\n"
                + "signup_address: it@example.com\n"
                + "invitation_url: https://x/{token}\n"
                + "reply_period: 12h\n"
                + "signup_period: 10m\n"
                + "plugin_timeout: 500ms\n"
                + "plugin_memory: 16MiB\n"
                + "plugin_kernel_memory: 8MiB\n"
                + "plugin_output: 1KiB\n"
                + "time_limit: 30\n"
                + "max_message_size: 10MiB\n"
                + "execution: interpreter\n"
                + "hostname: mx.example.com\n");
        assertThat(c.store().folder()).isEqualTo(Path.of("/srv/store"));
        assertThat(c.sendmail()).containsExactly("/usr/sbin/sendmail", "-C", "/tmp/x/etc");
        assertThat(c.sendmailTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.logFile()).isEqualTo(Path.of("/var/log/hackable.log"));
        assertThat(c.signupAddress()).isEqualTo("it@example.com");
        assertThat(c.replyPeriod()).isEqualTo(Duration.ofHours(12));
        assertThat(c.signupPeriod()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.limits().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.limits().maxMemoryPages()).isEqualTo(256);
        assertThat(c.limits().maxKernelBytes()).isEqualTo(8L << 20);
        assertThat(c.limits().maxOutputBytes()).isEqualTo(1024);
        assertThat(c.timeLimit()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxMessageSize()).isEqualTo(10L << 20);
        assertThat(c.execution()).isEqualTo(Execution.INTERPRETER);
        assertThat(c.hostname()).isEqualTo("mx.example.com");
    }

    @Test
    void memoryIsRoundedUpToWholePages() throws IOException {
        // as in xtp-sim and the JUnit engine: the plugin gets at least what the setting says
        assertThat(load("plugin_memory: 100KiB\n").limits().maxMemoryPages()).isEqualTo(2);
        assertThat(load("plugin_memory: 1KiB\n").limits().maxMemoryPages()).isEqualTo(1);
        assertThat(load("plugin_memory: 65536\n").limits().maxMemoryPages()).isEqualTo(1);
    }

    @Test
    void sendmailMayBeAList() throws IOException {
        assertThat(load("sendmail: [/usr/sbin/sendmail, -C, /a dir/etc]\n").sendmail())
                .isEqualTo(List.of("/usr/sbin/sendmail", "-C", "/a dir/etc"));
    }

    @Test
    void anEmptyFileMeansDefaults() throws IOException {
        assertThat(load("# nothing\n")).isEqualTo(FilterConfig.defaults());
    }

    @Test
    void logCanBeOffOrStderr() throws IOException {
        assertThat(load("log: \"\"\n").logFile()).isNull();
        assertThat(load("log: \"-\"\n").log()).isEqualTo("-");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> load("stroe: /x\n")).hasMessageContaining("unknown setting 'stroe'");
        assertThatThrownBy(() -> load("plugin_timeout: soon\n")).hasMessageContaining("plugin_timeout")
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> load("plugin_memory: lots\n")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> load("execution: jit\n")).hasMessageEndingWith(
                "execution: 'jit' is neither compiler nor interpreter");
        assertThatThrownBy(() -> load("plugin_timeout: 200000d\n")).hasMessageEndingWith(
                "plugin_timeout: '200000d' is too long: a duration is 1ms to 3650d (ten years)");
        assertThatThrownBy(() -> load("reply_period: 200000d\n")).hasMessageEndingWith(
                "reply_period: '200000d' is too long: a duration is 0 to 3650d (ten years)");
        assertThatThrownBy(() -> load("plugin_timeout: 0\n")).hasMessageEndingWith(
                "plugin_timeout: '0' must be more than zero");
        assertThatThrownBy(() -> load("plugin_memory: 5GiB\n")).hasMessageEndingWith(
                "plugin_memory: '5GiB' is more than the 4GiB a linear memory can have");
        assertThatThrownBy(() -> load("time_limit: 5s\n"))
                .hasMessageContaining("must be at least plugin_timeout + 2 x sendmail_timeout + 5 s (55 s)");
        assertThatThrownBy(() -> load("- a\n- b\n")).hasMessageContaining("expected a mapping");
        assertThatThrownBy(() -> load("store: [x\n")).hasMessageContaining("not valid YAML");
        // as xtp-sim prints it: FILE:LINE:COLUMN: the reason, on one line without SnakeYAML's excerpt
        assertThatThrownBy(() -> load("store: [\n")).hasMessage(tmp.resolve("filter.yaml")
                + ":2:1: not valid YAML: expected the node content, but found '<stream end>'");
        assertThatThrownBy(() -> FilterConfig.load(tmp.resolve("missing.yaml"))).hasMessageContaining("no such file");
        assertThatThrownBy(() -> load("store: {a: b}\n")).hasMessageContaining("store must be a single value");
    }
}
