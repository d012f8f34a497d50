package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginTemplateTest {

    private static int sparesAfterClosing(PluginTemplate template, int instances) {
        List<GuestPlugin> open = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            open.add(template.instantiate());
        }
        open.forEach(GuestPlugin::close);
        return template.spareKernels();
    }

    @Test
    void keepsFourSpareKernelsByDefault() {
        assertThat(sparesAfterClosing(PluginTemplate.builder(Wat.module("limits.wat")).build(), 8)).isEqualTo(4);
    }

    @Test
    void keepsAsManySpareKernelsAsAHostRunsInstancesAtOnce() {
        PluginTemplate template = PluginTemplate.builder(Wat.module("limits.wat")).withSpareKernels(10).build();
        assertThat(sparesAfterClosing(template, 12)).isEqualTo(10);
        assertThat(sparesAfterClosing(template, 10)).as("the next ten instances took them again").isEqualTo(10);
    }
}
