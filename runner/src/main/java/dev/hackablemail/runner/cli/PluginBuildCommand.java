package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.project.XtpToml;
import dev.hackablemail.runner.project.XtpTomlException;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xtp-sim plugin build}: runs the project's {@code [scripts] build}. */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        header = "Build the plugin project: run the [scripts] build command of its xtp.toml.",
        description = {
            "Runs `build` of the [scripts] table of DIR/xtp.toml with `sh -c` in DIR, its output shown as it "
                    + "comes, then says where the module (`bin`) is.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the build succeeded and made the module",
            "1:the build failed (its exit status is shown) or made no module",
            "2:it could not run: no xtp.toml in DIR, a broken one, no [scripts] build, no shell to run it",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  xtp-sim plugin build      # in the folder that `xtp-sim plugin init` made",
            "  xtp-sim plugin build --path vacation && xtp-sim test --path vacation",
        })
final class PluginBuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--path", paramLabel = "DIR", description = "The project folder, with its xtp.toml (default: current folder).")
    Path path = Path.of(".");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = path.resolve("xtp.toml");
        XtpToml project;
        try {
            project = XtpToml.load(file);
        } catch (XtpTomlException e) {
            return cannotRun(err, e.getMessage());
        }
        if (project.buildScript().isEmpty()) {
            return cannotRun(err, file + ": no build command: add [scripts] with build = \"...\"");
        }
        String command = project.buildScript().get();
        out.println("Building in " + path + ": " + command);
        out.flush();
        long start = System.nanoTime();
        int status;
        try {
            Process process = new ProcessBuilder("sh", "-c", command)
                    .directory(project.directory().toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            // copy through the command line's writer, so that tests and redirections see it
            try (var reader = process.inputReader()) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    out.println("  " + line);
                    out.flush();
                }
            }
            status = process.waitFor();
        } catch (IOException e) {
            return cannotRun(err, "the build command could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cannotRun(err, "interrupted");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (status != 0) {
            err.println("xtp-sim plugin build: the build (" + command + ") failed with exit status " + status
                    + " after " + millis + " ms");
            err.flush();
            return ExitCodes.FAILED;
        }
        if (project.plugin().isEmpty()) {
            out.println("Built in " + millis + " ms (xtp.toml names no bin, so no module to show)");
            out.flush();
            return ExitCodes.OK;
        }
        Path module = project.plugin().get();
        if (!Files.isRegularFile(module)) {
            err.println("xtp-sim plugin build: the build succeeded but made no " + module + " (xtp.toml's bin)");
            err.flush();
            return ExitCodes.FAILED;
        }
        long size;
        try {
            size = Files.size(module);
        } catch (IOException e) {
            size = -1;
        }
        // both sides absolute: a relative --path (the default `.`) gives a relative module path
        Path shown = path.resolve(project.directory().normalize().relativize(module.toAbsolutePath().normalize()))
                .normalize();
        out.printf("Built %s (%,d bytes) in %d ms%n", shown.toString().isEmpty() ? module : shown, size, millis);
        out.flush();
        return ExitCodes.OK;
    }

    private static int cannotRun(PrintWriter err, String message) {
        err.println("xtp-sim plugin build: " + message);
        err.flush();
        return ExitCodes.CANNOT_RUN;
    }
}
