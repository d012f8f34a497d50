package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hackable-email plugin push|list|rollback|remove|revoke --config FILE --guest ADDRESS}. */
class AdminCommandTest {

    @TempDir
    Path dir;

    @Test
    void theAdminPushesThroughTheSameGate() throws Exception {
        Path store = dir.resolve("store");
        Path config = dir.resolve("filter.yaml");
        Files.writeString(config, "store: " + store + "\nsendmail: /usr/sbin/sendmail\n");
        Fixture.Run noStore = Fixture.admin("plugin", "list", "--config", config.toString(), "--guest", "a@b.c");
        assertThat(noStore.exit()).isEqualTo(2);
        assertThat(noStore.err()).contains("store " + store + ": no such folder");
        Files.createDirectories(store);
        Path good = dir.resolve("good.wasm");
        Files.write(good, TestModules.example());
        Path broken = dir.resolve("broken.wasm");
        Files.write(broken, TestModules.testPlugin("rejected/hide-failure"));
        String guest = "Erin@Example.com";
        Path active = store.resolve(dev.hackablemail.store.GuestKeys.of(guest)).resolve("plugin.wasm");
        String c = config.toString();

        Fixture.Run push = Fixture.admin("plugin", "push", "--config", c, "--guest", guest, good.toString());
        assertThat(push.exit()).as(push.out() + push.err()).isZero();
        assertThat(push.out()).contains("accepted: version 1 of " + guest + "'s plugin is active");
        assertThat(Files.readAllBytes(active)).isEqualTo(TestModules.example());

        Fixture.Run rejected = Fixture.admin("plugin", "push", "--config", c, "--guest", guest, broken.toString());
        assertThat(rejected.exit()).isEqualTo(1);
        assertThat(rejected.out()).contains("rejected: ").contains("version 1 stays active")
                .contains("  - contract simulation: ").contains("no silent loss");
        assertThat(Files.readAllBytes(active)).isEqualTo(TestModules.example());

        Fixture.Run garbage = Fixture.admin("plugin", "push", "--config", c, "--guest", guest, config.toString());
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.out()).contains("not a valid Wasm module");

        Fixture.Run list = Fixture.admin("plugin", "list", "--config", c, "--guest", guest);
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("version 1 is active").contains(" admin ");

        Fixture.Run remove = Fixture.admin("plugin", "remove", "--config", c, "--guest", guest);
        assertThat(remove.exit()).isZero();
        assertThat(Files.exists(active)).isFalse();

        Fixture.Run rollback = Fixture.admin("plugin", "rollback", "--config", c, "--guest", guest, "1", "--json");
        assertThat(rollback.exit()).isZero();
        assertThat(Fixture.JSON.readTree(rollback.out()).path("version").asInt()).isEqualTo(1);
        assertThat(Files.readAllBytes(active)).isEqualTo(TestModules.example());

        Fixture.Run unknown = Fixture.admin("plugin", "rollback", "--config", c, "--guest", guest, "9");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: ").contains("no version 9").contains("versions kept: 1")
                .doesNotContain("HTTP"); // no request was sent: the status would mean nothing here

        Fixture.Run revoke = Fixture.admin("plugin", "revoke", "--config", c, "--guest", guest);
        assertThat(revoke.exit()).isZero();
        assertThat(revoke.out()).contains("nothing to revoke");
    }

    @Test
    void configurationMistakesExit2WithTheFileAndTheKey() throws Exception {
        Path config = dir.resolve("filter.yaml");
        Files.writeString(config, "store: " + dir + "\nservice:\n  max_uplaod: 1MiB\n");
        Fixture.Run typo = Fixture.admin("plugin", "list", "--config", config.toString(), "--guest", "a@example.com");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains(config.toString()).contains("service.max_uplaod");

        Files.writeString(config, "store: " + dir + "\nservice:\n  simulations:\n    - with: missing.wasm\n");
        Fixture.Run missing = Fixture.admin("plugin", "push", "--config", config.toString(), "--guest",
                "a@example.com", config.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("simulation missing.wasm: with").contains("no such file");

        Fixture.Run noConfig = Fixture.admin("plugin", "list", "--config", dir.resolve("nope.yaml").toString(),
                "--guest", "a@example.com");
        assertThat(noConfig.exit()).isEqualTo(2);
        assertThat(noConfig.err()).contains("no such file");

        Fixture.Run noGuest = Fixture.admin("plugin", "list", "--config", config.toString());
        assertThat(noGuest.exit()).isEqualTo(2);
        assertThat(noGuest.err()).contains("--guest");
    }

    @Test
    void everyCommandsHelpShowsTheExitCodesAndAConfigurationMistakeExitsWithTheDocumentedOne() throws Exception {
        for (String[] help : List.of(new String[] {"--help"}, new String[] {"serve", "--help"},
                new String[] {"plugin", "push", "--help"})) {
            Fixture.Run run = Fixture.admin(help);
            assertThat(run.exit()).isZero();
            assertThat(run.out()).as(String.join(" ", help)).contains("Exit codes:")
                    .containsPattern("\\s0\\s+done: ")
                    .containsPattern("\\s1\\s+rejected: the plugin failed the schema check")
                    .containsPattern("\\s2\\s+nothing done: ");
        }
        Fixture.Run serve = Fixture.admin("serve", "--config", dir.resolve("nope.yaml").toString());
        assertThat(serve.exit()).isEqualTo(ServiceMain.CANNOT_RUN).isEqualTo(2);
    }

    @Test
    void aVersionThatIsNoNumberSaysWhatIsExpected() {
        Fixture.Run run = Fixture.admin("plugin", "rollback", "--guest", "a@b.c", "abc");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'abc' is not a whole number from 0 to 2147483647").doesNotContain("an int");
    }

    @Test
    void storeMigrateShowsItsOwnExitCodesOnly() {
        for (String[] args : List.of(new String[] {"store", "migrate", "--help"}, new String[] {"store", "--help"})) {
            Fixture.Run help = Fixture.admin(args);
            assertThat(help.exit()).isZero();
            assertThat(help.out()).as(String.join(" ", args))
                    .containsPattern("\\s0\\s+copied \\(or everything was there already\\)")
                    .containsPattern("\\s2\\s+nothing or not everything was copied")
                    .doesNotContain("rejected: the plugin").doesNotContain("done: the plugin");
        }
        Fixture.Run bad = Fixture.admin("store", "migrate", "--from", dir.resolve("none").toString(), "--to", "x");
        assertThat(bad.exit()).as(bad.err()).isEqualTo(2);
    }

    @Test
    void theAdminSetsAndShowsAGuestsAliases() throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        Path config = dir.resolve("filter.yaml");
        Files.writeString(config, "store: " + store + "\n");
        String c = config.toString();

        Fixture.Run set = Fixture.admin("plugin", "aliases", "--config", c, "--guest", "erin@example.com",
                "--set", "e.smith@example.com,sales@example.com");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).isEqualTo("erin@example.com: aliases e.smith@example.com, sales@example.com\n");
        try (dev.hackablemail.store.GuestStore guests = new dev.hackablemail.store.FolderStore(store)) {
            assertThat(guests.addressesOf("Erin@Example.com"))
                    .containsExactly("Erin@Example.com", "e.smith@example.com", "sales@example.com");
        }

        Fixture.Run bad = Fixture.admin("plugin", "aliases", "--config", c, "--guest", "erin@example.com",
                "--set", "not-an-address");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'not-an-address' is not a mail address");

        Fixture.Run cleared = Fixture.admin("plugin", "aliases", "--config", c, "--guest", "erin@example.com",
                "--clear");
        assertThat(cleared.out()).isEqualTo("erin@example.com: no aliases\n");
    }
}
