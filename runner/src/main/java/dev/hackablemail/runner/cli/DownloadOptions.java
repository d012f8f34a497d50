package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.project.ModuleSources;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Modules given as http(s) URLs: where downloads are kept, and whether the network may be used. */
final class DownloadOptions {

    @Option(names = "--offline",
            description = "Take modules given as http(s) URLs from the download cache only; fail if one is not there.")
    boolean offline;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where modules given as URLs are kept (default: $XDG_CACHE_HOME/xtp-sim/downloads, "
                    + "else ~/.cache/xtp-sim/downloads).")
    Path cache;

    ModuleSources sources() {
        return new ModuleSources(cache != null ? cache : ModuleSources.defaultCache(), offline);
    }

    /** A module argument: a path (relative to the working directory) or a URL. */
    Path module(String location) {
        return sources().resolve(location, Path.of(""));
    }
}
