package dev.hackablemail.service;

import dev.hackablemail.store.StoreSetting;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the YAML file shared with the filter. */
final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The configuration, the filter's YAML file with a `service:` section "
                    + "(default: /etc/hackable-email/filter.yaml; every setting at its default when it is missing).")
    Path file;

    /**
     * The configuration, with a folder store checked: it must exist (the filter's store is
     * made at install time; a missing one is a wrong path, not something to create silently).
     * A PostgreSQL store is reached (and its tables made) on first use.
     */
    ServiceConfig loadWithStore(PrintWriter err) {
        ServiceConfig config = load(err);
        if (config.store().isFolder() && !Files.isDirectory(config.store().folder())) {
            throw new ServiceConfig.ConfigException(config.source() + ": store " + config.store()
                    + ": no such folder (the filter's plugin store: create it, or fix `store`)");
        }
        return config;
    }

    ServiceConfig load(PrintWriter err) {
        if (file != null) {
            return ServiceConfig.load(file);
        }
        if (Files.exists(ServiceConfig.DEFAULT_FILE)) {
            return ServiceConfig.load(ServiceConfig.DEFAULT_FILE);
        }
        err.println("note: " + ServiceConfig.DEFAULT_FILE + " does not exist: every setting at its default (store "
                + StoreSetting.DEFAULT_FOLDER + ")");
        err.flush();
        return ServiceConfig.defaults();
    }
}
