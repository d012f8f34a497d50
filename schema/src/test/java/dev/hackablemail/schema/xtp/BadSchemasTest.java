package dev.hackablemail.schema.xtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Each file in src/test/bad-schemas lists, in "# expect:" lines, exactly the problems it must give. */
class BadSchemasTest {

    private static final Path DIR = Path.of("src/test/bad-schemas");
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+) (.+?): (.*)");

    /** One expected problem: the line it points at, its path, a part of its message. */
    private record Expected(int line, String path, String text) {
        boolean matches(Problem p) {
            return p.location() != null && p.location().line() == line
                    && p.path().equals(path.equals("-") ? "" : path) && p.message().contains(text);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBadSchemaGivesExactlyItsExpectedProblems() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        String text = Files.readString(file);
        List<Expected> expected = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = EXPECT.matcher(line);
            if (m.matches()) {
                expected.add(new Expected(Integer.parseInt(m.group(1)), m.group(2), m.group(3)));
            }
        }
        assertThat(expected).as("expectations in " + file).isNotEmpty();

        List<Problem> problems = SchemaParser.read(file).problems();

        assertThat(problems).as("problems of %s", file).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Expected e = expected.get(i);
            assertThat(problems.get(i)).as("problem %d of %s (all: %s)", i + 1, file, problems)
                    .matches(e::matches, "is at line " + e.line() + ", path " + e.path() + ", says '" + e.text() + "'");
            assertThat(problems.get(i).source()).isEqualTo(file.getFileName().toString());
        }
    }
}
