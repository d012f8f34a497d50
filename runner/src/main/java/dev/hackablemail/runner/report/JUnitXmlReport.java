package dev.hackablemail.runner.report;

import dev.hackablemail.runner.sim.AssertionResult;
import dev.hackablemail.runner.sim.SimulationRecord;
import dev.hackablemail.runner.sim.SimulationResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML as CI systems display it: one {@code testsuite} per group, one
 * {@code testcase} per assert (classname: simulation and group), a {@code failure} with
 * the reason for each failed assert. A test module that stopped or returned non-zero adds
 * a failed testcase named {@code test} so that the run shows as failed.
 */
public final class JUnitXmlReport {

    private JUnitXmlReport() {}

    public static void write(Path file, List<SimulationRecord> records) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            long tests = 0;
            long failures = 0;
            for (SimulationRecord r : records) {
                tests += r.result().passed() + r.result().failed() + (stopped(r.result()) ? 1 : 0);
                failures += r.result().failed() + (stopped(r.result()) ? 1 : 0);
            }
            xml.writeAttribute("name", "xtp-sim");
            xml.writeAttribute("tests", Long.toString(tests));
            xml.writeAttribute("failures", Long.toString(failures));
            for (SimulationRecord record : records) {
                writeSimulation(xml, record);
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean stopped(SimulationResult result) {
        return result.error() != null || result.testReturnCode() == null || result.testReturnCode() != 0;
    }

    private static void writeSimulation(XMLStreamWriter xml, SimulationRecord record) throws XMLStreamException {
        SimulationResult result = record.result();
        for (SimulationRecord.Group group : record.groups()) {
            String suite = result.name() + (group.name() == null ? "" : " / " + group.name());
            xml.writeCharacters("\n  ");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", suite);
            xml.writeAttribute("tests", Integer.toString(group.asserts().size()));
            xml.writeAttribute("failures", Long.toString(group.failed()));
            for (AssertionResult a : group.asserts()) {
                xml.writeCharacters("\n    ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", suite);
                xml.writeAttribute("name", a.name());
                if (!a.passed()) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", a.reason() == null ? "" : a.reason());
                    xml.writeCharacters(a.reason() == null ? "" : a.reason());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            if (!group.timings().isEmpty()) {
                xml.writeCharacters("\n    ");
                xml.writeStartElement("system-out");
                StringBuilder lines = new StringBuilder();
                group.timings().forEach(t -> lines.append(t.function()).append(" took ").append(t.nanos()).append(" ns\n"));
                xml.writeCharacters(lines.toString());
                xml.writeEndElement();
            }
            xml.writeCharacters("\n  ");
            xml.writeEndElement();
        }
        if (stopped(result)) {
            xml.writeCharacters("\n  ");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", result.name());
            xml.writeAttribute("tests", "1");
            xml.writeAttribute("failures", "1");
            xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f", result.elapsed().toNanos() / 1e9));
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", result.name());
            xml.writeAttribute("name", "test");
            xml.writeStartElement("failure");
            String message = result.failure();
            xml.writeAttribute("message", message);
            xml.writeCharacters(message);
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndElement();
        }
    }
}
