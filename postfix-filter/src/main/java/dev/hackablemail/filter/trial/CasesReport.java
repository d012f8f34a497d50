package dev.hackablemail.filter.trial;

import dev.hackablemail.filter.OneLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** How a cases file went: a line per case with its differences, and JUnit XML for CI. */
public final class CasesReport {

    private CasesReport() {}

    public static String text(MailCases cases, List<MailCases.CaseResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(cases.source()).append('\n');
        long failed = 0;
        for (MailCases.CaseResult r : results) {
            out.append(r.passed() ? "  ✓ " : "  ✗ ").append(r.mailCase().name()).append(" (line ")
                    .append(r.mailCase().line()).append(")\n");
            for (String d : r.differences()) {
                out.append("      ").append(d).append('\n');
            }
            failed += r.passed() ? 0 : 1;
        }
        out.append(results.size() - failed).append(" passed, ").append(failed).append(" failed\n");
        return out.toString();
    }

    /** One {@code testsuite} (the cases file), a {@code testcase} per case, a {@code failure} with its differences. */
    public static void junit(Path file, MailCases cases, List<MailCases.CaseResult> results) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", cases.source());
            xml.writeAttribute("tests", Integer.toString(results.size()));
            xml.writeAttribute("failures", Long.toString(results.stream().filter(r -> !r.passed()).count()));
            for (MailCases.CaseResult r : results) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", cases.source());
                xml.writeAttribute("name", r.mailCase().name());
                if (!r.passed()) {
                    // XML 1.0 has no place for control characters
                    List<String> lines = r.differences().stream().map(OneLine::withoutControls).toList();
                    String all = String.join("\n", lines);
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", lines.get(0));
                    xml.writeCharacters(all);
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
