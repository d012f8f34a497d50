package dev.hackablemail.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginLimitsSettingTest {

    @Test
    void defaultsAndEverySetting() {
        assertThat(PluginLimitsSetting.limits(Map.of())).isEqualTo(PluginLimitsSetting.DEFAULTS);
        assertThat(PluginLimitsSetting.execution(Map.of())).isEqualTo(Execution.COMPILER);
        GuestLimits l = PluginLimitsSetting.limits(Map.of("plugin_timeout", "500ms", "plugin_memory", "16MiB",
                "plugin_kernel_memory", "8MiB", "plugin_output", "1KiB"));
        assertThat(l.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(l.maxMemoryPages()).isEqualTo(256);
        assertThat(l.maxKernelBytes()).isEqualTo(8L << 20);
        assertThat(l.maxOutputBytes()).isEqualTo(1024);
        assertThat(PluginLimitsSetting.execution(Map.of("execution", "Interpreter"))).isEqualTo(Execution.INTERPRETER);
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> PluginLimitsSetting.limits(Map.of("plugin_timeout", "soon")))
                .hasMessageStartingWith("plugin_timeout: ");
        assertThatThrownBy(() -> PluginLimitsSetting.limits(Map.of("plugin_memory", "5GiB")))
                .hasMessageStartingWith("plugin_memory: ");
        assertThatThrownBy(() -> PluginLimitsSetting.limits(Map.of("plugin_timeout", "0s")))
                .hasMessageStartingWith("plugin_timeout: ");
        assertThatThrownBy(() -> PluginLimitsSetting.execution(Map.of("execution", "jit")))
                .hasMessage("execution: 'jit' is neither compiler nor interpreter");
        // One rounding rule everywhere (runner/config/Quantities): up to whole 64 KiB pages.
        assertThat(PluginLimitsSetting.limits(Map.of("plugin_memory", "1KiB")).maxMemoryPages()).isEqualTo(1);
    }
}
