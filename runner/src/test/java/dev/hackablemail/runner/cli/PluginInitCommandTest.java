package dev.hackablemail.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code xtp-sim plugin init} and {@code plugin build}: what they write, and their errors. */
class PluginInitCommandTest {

    private static final String SCHEMA = Path.of("../schema/on-email.yaml").toString();

    @TempDir
    Path dir;

    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void streams() {
        out = new StringWriter();
        err = new StringWriter();
    }

    private int run(String... args) {
        CommandLine cli = XtpSim.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private long filesIn(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void writesTheProjectAndListsItsFiles() throws IOException {
        Path project = dir.resolve("vacation");
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Created the c plugin 'vacation' in " + project + " from on-email.yaml")
                .contains("src/plugin.c           yours", "src/pdk.h              generated, do not edit",
                        "cd " + project + " && xtp-sim plugin build && xtp-sim fuzz dist/vacation.wasm"
                                + " --schema on-email.yaml\n");
        assertThat(project.resolve(".gitignore")).content().contains("dist/");
        assertThat(project.resolve("xtp.toml")).content()
                .contains("bin = \"dist/vacation.wasm\"", "[scripts]\nbuild = \"make\"")
                .doesNotContain("\n[[test]]");
        assertThat(project.resolve("src/plugin.c")).content()
                .contains("int onEmail(const IncomingEmail *input, int32_t *output) {",
                        "return pdk_error(\"not implemented yet: write it in src/plugin.c\");");
        assertThat(project.resolve("README.md")).content().contains("# vacation", "src/plugin.c");
    }

    @Test
    void theNextStepCanBePastedIntoAShellWhateverTheFolder() {
        Path project = dir.resolve("my plugins/it's here");
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString(),
                "--name", "vacation")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("  cd '" + dir + "/my plugins/it'\\''s here' && xtp-sim plugin build");
    }

    @Test
    void aSimulationOrMockHostThatDoesNotExistIsAnError() throws IOException {
        Path project = dir.resolve("p");
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString(),
                "--with", dir.resolve("tset.wasm").toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: --with " + dir.resolve("tset.wasm") + ": no such file\n");
        Files.writeString(dir.resolve("test.wasm"), "");
        streams();
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString(),
                "--with", dir.resolve("test.wasm").toString(), "--mock-host", dir.resolve("hots.wasm").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: --mock-host " + dir.resolve("hots.wasm")
                + ": no such file\n");
        assertThat(project).doesNotExist();
    }

    @Test
    void listsEachSimulationAsATestOfXtpToml() throws IOException {
        Files.createDirectories(dir.resolve("sims"));
        Files.writeString(dir.resolve("sims/test.wasm"), "");
        Files.writeString(dir.resolve("sims/host.wasm"), "");
        Path project = dir.resolve("p");
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString(),
                "--with", dir.resolve("sims/test.wasm").toString(), "--mock-host", dir.resolve("sims/host.wasm").toString()))
                .as(err.toString()).isZero();
        assertThat(project.resolve("xtp.toml")).content().contains(
                "[[test]]\nname = \"test.wasm\"\nwith = \"../sims/test.wasm\"\nmock_host = \"../sims/host.wasm\"\n");
        assertThat(out.toString()).endsWith("Next:\n  cd " + project + " && xtp-sim plugin build && xtp-sim test\n");
    }

    @Test
    void theProjectHoldsTheSchemaItsReadmeNames() throws IOException {
        Path project = dir.resolve("p");
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("  on-email.yaml          the schema (a copy, for check and fuzz)\n");
        // the project's README says to run these in the project folder: the file they name is there
        assertThat(project.resolve("README.md")).content()
                .contains("xtp-sim check dist/p.wasm --schema on-email.yaml",
                        "xtp-sim fuzz dist/p.wasm --schema on-email.yaml")
                // --force would overwrite src/plugin.c: the README must not send an author there
                .contains("xtp-sim plugin init --regenerate --schema NEW.yaml --template c --path .")
                .doesNotContain("--force");
        assertThat(project.resolve("on-email.yaml")).hasSameTextualContentAs(Path.of(SCHEMA));

        // a schema that lies in the project folder already is no conflict
        Path own = dir.resolve("own");
        Files.createDirectories(own);
        Files.copy(Path.of(SCHEMA), own.resolve("on-email.yaml"));
        streams();
        assertThat(run("plugin", "init", "--schema", own.resolve("on-email.yaml").toString(), "--template", "c",
                "--path", own.toString())).as(err.toString()).isZero();
    }

    @Test
    void aSchemaThatCannotBeReadOrFetchedIsAnErrorSayingWhyInWords() throws IOException {
        assertThat(run("plugin", "init", "--schema", dir.toString(), "--template", "c", "--name", "x")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: " + dir + ": a folder, not a schema file\n");

        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed + "/on-email.yaml";
        streams();
        assertThat(run("plugin", "init", "--schema", url, "--template", "c", "--path", dir.resolve("p").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: " + url + ": cannot be fetched: connection refused"
                + " (is the server running, and is that its port?)\n");
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    void eachHelpListsTheExitCodesItsCommandReturns() {
        assertThat(run("plugin", "init", "--help")).isZero();
        assertThat(out.toString()).contains("Exit codes:\n  0   the project was written\n  2   nothing was written:")
                .doesNotContain("an assert failed");
        streams();
        assertThat(run("plugin", "build", "--help")).isZero();
        assertThat(out.toString()).contains("  0   the build succeeded and made the module\n",
                "  1   the build failed (its exit status is shown) or made no module\n").doesNotContain("an assert failed");
        streams();
        // a command's own table is kept, not replaced by xtp-sim's general one
        assertThat(run("fuzz", "--help")).isZero();
        assertThat(out.toString()).contains("no failure found within the budget").doesNotContain("an assert failed");
    }

    @Test
    void existingFilesAreNeverOverwrittenWithoutForce() throws IOException {
        Path project = dir.resolve("p");
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString())).isZero();
        Files.writeString(project.resolve("src/plugin.c"), "my work");
        Files.delete(project.resolve("README.md"));

        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: " + project + " already has src/pdk.h, src/pdk.c, "
                + "guest-lib/extism.h, guest-lib/extism.c, guest-lib/json.h, guest-lib/json.c, src/plugin.c, Makefile, "
                + ".gitignore, xtp.toml: nothing was written. Choose another --path, --regenerate to write only the "
                + "generated bindings again, or --force to overwrite every file\n");
        assertThat(project.resolve("src/plugin.c")).hasContent("my work");
        assertThat(project.resolve("README.md")).doesNotExist();
    }

    @Test
    void regenerateWritesOnlyTheBindings() throws IOException {
        Path project = dir.resolve("p");
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString())).isZero();
        Files.writeString(project.resolve("src/plugin.c"), "my work");
        Files.writeString(project.resolve("src/pdk.h"), "stale");
        streams();

        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString(),
                "--regenerate")).as(err.toString()).isZero();
        assertThat(project.resolve("src/plugin.c")).hasContent("my work");
        assertThat(project.resolve("src/pdk.h")).content().contains("DO NOT EDIT");
        assertThat(out.toString()).contains("src/pdk.h              generated, do not edit (overwritten)")
                .doesNotContain("plugin.c");
    }

    @Test
    void forceOverwritesEveryFile() throws IOException {
        Path project = dir.resolve("p");
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString())).isZero();
        Files.writeString(project.resolve("src/plugin.c"), "my work");
        streams();
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--path", project.toString(),
                "--force", "--feature", "stub-with-code-samples")).as(err.toString()).isZero();
        assertThat(project.resolve("src/plugin.c")).content().contains("Project XYZ");
        assertThat(out.toString()).contains("src/plugin.c           yours (overwritten)");
    }

    @Test
    void anUnknownTemplateIsAnErrorListingTheKnownOnes() throws IOException {
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "cobol", "--path", dir.resolve("p").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("xtp-sim plugin init: unknown --template 'cobol' (one of: c");
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void aMissingSchemaFileIsAnErrorNamingIt() throws IOException {
        assertThat(run("plugin", "init", "--schema", "nope.yaml", "--template", "c", "--path", dir.resolve("p").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: nope.yaml: no such file (the schema)\n");
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void anInvalidSchemaIsAnErrorWithItsProblems() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: v1-draft\nexports:\n  run:\n    input:\n      contentType: application/json\n"
                + "      $ref: \"#/components/schemas/Nothing\"\n");
        assertThat(run("plugin", "init", "--schema", bad.toString(), "--template", "c", "--path", dir.resolve("p").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("xtp-sim plugin init: " + bad + ": not a valid XTP schema"
                + " (check it with xtp-sim schema validate): ")
                .contains("no schema named 'Nothing'");
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    void aYamlSyntaxErrorAndAV0SchemaAreErrors() throws IOException {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "version: [\n");
        assertThat(run("plugin", "init", "--schema", broken.toString(), "--template", "c", "--name", "x")).isEqualTo(2);
        assertThat(err.toString()).startsWith("xtp-sim plugin init: " + broken + ": not a YAML schema: ");

        Path v0 = dir.resolve("v0.yaml");
        Files.writeString(v0, "version: v0\nexports: [run]\n");
        streams();
        assertThat(run("plugin", "init", "--schema", v0.toString(), "--template", "c", "--name", "x")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: " + v0 + ": a v0 schema names its exports only;"
                + " bindings need their types: write it as version: v1-draft\n");
    }

    @Test
    void missingValuesAreErrorsWhenTheInputIsNoTerminal() {
        // the tests' input is no terminal (System.console() is null), so nothing is asked
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--path", dir.resolve("p").toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: missing --template (it is asked for only when the"
                + " input is a terminal)\n");
        streams();
        assertThat(run("plugin", "init", "--template", "c", "--path", dir.resolve("p").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("xtp-sim plugin init: missing --schema FILE|URL (or --server URL)");
        streams();
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c")).isEqualTo(2);
        assertThat(err.toString()).startsWith("xtp-sim plugin init: missing --name NAME (or --path DIR)");
        streams();
        // all of them at once, not one per run
        assertThat(run("plugin", "init")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: missing --template, --schema FILE|URL (or --server"
                + " URL), --name NAME (or --path DIR) (they are asked for only when the input is a terminal)\n");
    }

    @Test
    void badValuesAreErrors() {
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--name", "../evil")).isEqualTo(2);
        assertThat(err.toString()).startsWith("xtp-sim plugin init: --name: '../evil' is not a plugin name");
        streams();
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--template", "c", "--name", "x", "--feature", "magic"))
                .isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: unknown --feature 'magic' (known: stub-with-code-samples)\n");
        streams();
        assertThat(run("plugin", "init", "--schema", SCHEMA, "--server", "http://localhost:1", "--template", "c",
                "--name", "x")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin init: give --schema or --server, not both\n");
    }

    @Test
    void takesTheSchemaFromAServerOrAUrl() throws IOException {
        // what the push server serves: the manifest of its checks, naming the schema file beside it
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] yaml = Files.readAllBytes(Path.of(SCHEMA));
        byte[] manifest = ("{\"schema\": \"on-email.yaml\", \"simulations\": [{\"name\": \"contract\", "
                + "\"with\": \"contract.wasm\", \"mock_host\": \"contract-host.wasm\"}], "
                + "\"files\": [\"on-email.yaml\", \"contract.wasm\", \"contract-host.wasm\"]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] test = {0, 'a', 's', 'm', 1, 0, 0, 0};
        byte[] host = {0, 'a', 's', 'm', 1, 0, 0, 0, 0};
        server.createContext("/api/v1/checks", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = path.equals("/api/v1/checks") ? manifest
                    : path.equals("/api/v1/checks/on-email.yaml") ? yaml
                    : path.equals("/api/v1/checks/contract.wasm") ? test
                    : path.equals("/api/v1/checks/contract-host.wasm") ? host : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        other.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(run("plugin", "init", "--server", base + "/", "--template", "c", "--path",
                    dir.resolve("a").toString())).as(err.toString()).isZero();
            assertThat(out.toString()).contains(" from on-email.yaml (12 files");
            assertThat(dir.resolve("a/src/pdk.h")).content().contains("struct IncomingEmail {");
            assertThat(out.toString()).contains("  server-checks/         the server's checks, listed as [[test]]s\n");
            assertThat(dir.resolve("a/server-checks/contract.wasm")).hasBinaryContent(test);
            assertThat(dir.resolve("a/server-checks/contract-host.wasm")).hasBinaryContent(host);
            assertThat(dir.resolve("a/xtp.toml")).content().contains("[[test]]\nname = \"server contract\"\n"
                    + "with = \"server-checks/contract.wasm\"\nmock_host = \"server-checks/contract-host.wasm\"\n");
            assertThat(dir.resolve("a/on-email.yaml")).hasSameTextualContentAs(Path.of(SCHEMA));

            streams();
            assertThat(run("plugin", "init", "--schema", base + "/api/v1/checks/on-email.yaml", "--template", "c",
                    "--path", dir.resolve("b").toString())).as(err.toString()).isZero();

            streams();
            assertThat(run("plugin", "init", "--schema", base + "/nothing.yaml", "--template", "c",
                    "--path", dir.resolve("c").toString())).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("xtp-sim plugin init: " + base
                    + "/nothing.yaml: the server answered HTTP 404, not the schema\n");
            assertThat(dir.resolve("c")).doesNotExist();

            streams();
            String notAPushServer = "http://127.0.0.1:" + other.getAddress().getPort();
            assertThat(run("plugin", "init", "--server", notAPushServer, "--template", "c",
                    "--path", dir.resolve("d").toString())).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("xtp-sim plugin init: " + notAPushServer
                    + "/api/v1/checks: the server answered HTTP 404, not the server's checks (is it a push server?)\n");
            assertThat(dir.resolve("d")).doesNotExist();
        } finally {
            other.stop(0);
            server.stop(0);
        }
    }

    @Test
    void buildWithoutXtpTomlOrBuildScriptIsAnError() throws IOException {
        assertThat(run("plugin", "build", "--path", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin build: " + dir.resolve("xtp.toml") + ": no such file\n");
        Files.writeString(dir.resolve("xtp.toml"), "bin = \"x.wasm\"\n");
        streams();
        assertThat(run("plugin", "build", "--path", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin build: " + dir.resolve("xtp.toml")
                + ": no build command: add [scripts] with build = \"...\"\n");
    }

    @Test
    void aFailingBuildExitsOneAndAMissingModuleToo() throws IOException {
        Files.writeString(dir.resolve("xtp.toml"), "bin = \"x.wasm\"\n[scripts]\nbuild = \"echo compiling; exit 3\"\n");
        assertThat(run("plugin", "build", "--path", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("  compiling");
        assertThat(err.toString()).startsWith("xtp-sim plugin build: the build (echo compiling; exit 3) failed with"
                + " exit status 3 after ");

        Files.writeString(dir.resolve("xtp.toml"), "bin = \"x.wasm\"\n[scripts]\nbuild = \"true\"\n");
        streams();
        assertThat(run("plugin", "build", "--path", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("xtp-sim plugin build: the build succeeded but made no "
                + dir.toAbsolutePath().resolve("x.wasm") + " (xtp.toml's bin)\n");
    }

    @Test
    void buildWithARelativePathSaysWhereTheModuleIs() throws IOException {
        Files.createDirectories(dir.resolve("dist"));
        Files.writeString(dir.resolve("xtp.toml"),
                "bin = \"dist/x.wasm\"\n[scripts]\nbuild = \"printf abc > dist/x.wasm\"\n");
        // the test runs in the module folder: a path relative to it, as `--path .` or the default are
        Path relative = Path.of("").toAbsolutePath().relativize(dir);
        for (String given : new String[] {relative.toString(), relative + "/.", relative + "/dist/.."}) {
            streams();
            assertThat(run("plugin", "build", "--path", given)).as(err.toString()).isZero();
            assertThat(err.toString()).isEmpty();
            assertThat(out.toString()).containsPattern("Built \\Q" + relative.resolve("dist/x.wasm")
                    + "\\E \\(3 bytes\\) in \\d+ ms\n");
        }
    }
}
