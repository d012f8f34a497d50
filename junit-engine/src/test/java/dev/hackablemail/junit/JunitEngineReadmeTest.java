package dev.hackablemail.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The README's host-project pom.xml stays complete and in step with this build's versions. */
class JunitEngineReadmeTest {

    private static final String MARKER = "<!-- host-pom:";

    @Test
    void theHostProjectPomPinsThisBuildsCompilerAndSurefireAndFailsWhenNoTestRan() throws Exception {
        String readme = Files.readString(TestFiles.REPO.resolve("junit-engine/README.md"));
        int marker = readme.indexOf(MARKER);
        assertThat(marker).as("the host-pom block of junit-engine/README.md").isPositive();
        int start = readme.indexOf("```xml\n", marker) + "```xml\n".length();
        Document host = parse(readme.substring(start, readme.indexOf("```", start)));
        Document parent = parse(Files.readString(TestFiles.REPO.resolve("pom.xml")));

        assertThat(value(host, plugin("maven-surefire-plugin") + "/version"))
                .isEqualTo(value(parent, "/project/properties/surefire.version"));
        assertThat(value(host, plugin("maven-compiler-plugin") + "/version"))
                .isEqualTo(value(parent, "/project/properties/compiler-plugin.version"));
        assertThat(value(host, plugin("maven-surefire-plugin") + "/configuration/failIfNoTests")).isEqualTo("true");
        assertThat(value(host, "/project/dependencies/dependency[artifactId='junit-engine']/version"))
                .isEqualTo(value(parent, "/project/version"));
        assertThat(readme).contains("mvn -B install -DskipTests -pl junit-engine -am");
    }

    private static String plugin(String artifactId) {
        return "/project/build/plugins/plugin[artifactId='" + artifactId + "']";
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String value(Document doc, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc).trim();
    }
}
