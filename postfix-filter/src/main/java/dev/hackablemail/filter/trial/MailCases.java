package dev.hackablemail.filter.trial;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A plugin author's mail test cases: a {@code *.cases.yaml} file kept next to the plugin, each
 * case a message, its envelope and what the filter must do with it, run with {@link MailTrial}
 * (record mode: nothing is sent). The format (postfix-filter/README.md, "Mail test cases"):
 *
 * <pre>
 * from: alice@example.org          # defaults for every case (optional)
 * to: bob@example.com
 * cases:
 *   - name: Project XYZ gets the reply
 *     message: project-xyz.eml       # a file, relative to this one
 *     expect:
 *       exit: 0
 *       delivered: true
 *       reply:
 *         subject: "RE: Status of Project XYZ"
 *         body_contains: forbidden
 *   - name: no reply to a mailing list
 *     headers: {Subject: Project XYZ, List-Id: &lt;team.example.org&gt;, To: bob@example.com}
 *     body: "Project XYZ again"
 *     expect:
 *       reply: none
 *       suppressed: mailing list
 * </pre>
 *
 * @param source the file's name, as messages about it say it
 * @param cases the cases, in file order
 */
public record MailCases(String source, List<MailCase> cases) {

    public MailCases {
        cases = List.copyOf(cases);
    }

    /**
     * Runs every case with {@code plugin} in record mode (nothing is sent or written).
     *
     * @param plugin the plugin's Wasm bytes; null: each recipient's active plugin in the trial's store
     */
    public List<CaseResult> run(MailTrial trial, byte[] plugin) {
        List<CaseResult> results = new ArrayList<>();
        for (MailCase c : cases) {
            TrialResult r = trial.run(c.sender(), c.recipient(), c.message(), plugin);
            results.add(new CaseResult(c, r, c.expect().differences(r)));
        }
        return results;
    }

    /** How one case went: {@code differences} lists what did not match; empty: passed. */
    public record CaseResult(MailCase mailCase, TrialResult result, List<String> differences) {
        public CaseResult {
            differences = List.copyOf(differences);
        }

        public boolean passed() {
            return differences.isEmpty();
        }
    }

    /** Reads the files a cases file names ({@code message:}), by their path as written there. */
    @FunctionalInterface
    public interface MessageFiles {
        /** The bytes of {@code path}; {@link NoSuchFileException} when there is no such file. */
        byte[] read(String path) throws IOException;
    }

    /**
     * One case.
     *
     * @param name what the case checks, as the author named it
     * @param line where it starts in the file (1-based)
     * @param sender the envelope sender
     * @param recipient the envelope recipient
     * @param message the message's bytes
     * @param expect what must happen
     */
    public record MailCase(String name, int line, String sender, String recipient, byte[] message,
            Expectation expect) {}

    /** What a case's result must be; null fields are not checked. */
    public record Expectation(Integer exitCode, Boolean delivered, ReplyExpectation reply, String suppressed) {

        /** Every way {@code r} differs from this expectation, readable; empty: the case passed. */
        public List<String> differences(TrialResult r) {
            List<String> out = new ArrayList<>();
            if (exitCode != null && exitCode != r.exitCode()) {
                out.add("exit code: expected " + exitCode + ", got " + r.exitCode() + " ("
                        + TrialReport.describe(r) + (r.reason() == null ? "" : "; " + r.reason()) + ")");
            }
            if (delivered != null && delivered != (r.delivery() != null)) {
                out.add("delivered: expected " + (delivered ? "yes" : "no") + ", got "
                        + (r.delivery() != null ? "yes" : "no") + " (" + TrialReport.describe(r) + ")");
            }
            if (reply != null) {
                reply.differences(r, out);
            }
            if (suppressed != null) {
                if (r.suppressed() == null) {
                    out.add("suppressed: expected a reply suppressed by a rule containing '" + suppressed + "', got "
                            + (r.answer() != null ? "a reply sent (Subject: " + r.answer().subject() + ")"
                                    : "no reply asked for"));
                } else if (!r.suppressed().rule().toLowerCase(Locale.ROOT).contains(suppressed.toLowerCase(Locale.ROOT))) {
                    out.add("suppressed: expected a rule containing '" + suppressed + "', got '"
                            + r.suppressed().rule() + "'");
                }
            }
            return out;
        }
    }

    /**
     * What the answer to the sender must be.
     *
     * @param sent whether one must be sent (false: none may be)
     * @param subject the exact decoded Subject, or null
     * @param subjectContains text the Subject must contain, or null
     * @param subjectMatches a regular expression found in the Subject, or null
     * @param bodyContains text the decoded body must contain, or null
     * @param bodyMatches a regular expression found in the body, or null
     */
    public record ReplyExpectation(boolean sent, String subject, String subjectContains, Pattern subjectMatches,
            String bodyContains, Pattern bodyMatches) {

        void differences(TrialResult r, List<String> out) {
            TrialResult.Answer a = r.answer();
            if (!sent) {
                if (a != null) {
                    out.add("reply: expected none, got one (Subject: " + a.subject() + ")");
                }
                return;
            }
            if (a == null) {
                out.add("reply: expected one, got none ("
                        + (r.suppressed() != null ? "suppressed: " + r.suppressed().rule()
                                : TrialReport.refusal(r, "reply").map(why -> "refused: " + why)
                                        .orElse(r.hostCalls().stream().anyMatch(c -> c.function().equals("reply"))
                                                ? "the reply call failed" : "the plugin did not call reply"))
                        + ")");
                return;
            }
            String s = a.subject() == null ? "" : a.subject();
            String b = a.body() == null ? "" : a.body();
            if (subject != null && !subject.equals(s)) {
                out.add("reply subject: expected '" + subject + "', got '" + s + "'");
            }
            if (subjectContains != null && !s.contains(subjectContains)) {
                out.add("reply subject: expected it to contain '" + subjectContains + "', got '" + s + "'");
            }
            if (subjectMatches != null && !subjectMatches.matcher(s).find()) {
                out.add("reply subject: expected it to match /" + subjectMatches + "/, got '" + s + "'");
            }
            if (bodyContains != null && !b.contains(bodyContains)) {
                out.add("reply body: expected it to contain '" + bodyContains + "', got '" + excerpt(b) + "'");
            }
            if (bodyMatches != null && !bodyMatches.matcher(b).find()) {
                out.add("reply body: expected it to match /" + bodyMatches + "/, got '" + excerpt(b) + "'");
            }
        }

        private static String excerpt(String body) {
            return TrialReport.abridge(body.replace("\n", "\\n"), 200);
        }
    }

    /** A cases file that cannot be used; the message names the file and the line. */
    public static final class CasesException extends Exception {
        private static final long serialVersionUID = 1L;

        public CasesException(String message) {
            super(message);
        }
    }

    /** Reads a cases file; the messages it names are read relative to its folder. */
    public static MailCases read(Path file) throws CasesException {
        byte[] yaml;
        try {
            yaml = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CasesException(file + ": no such file");
        } catch (IOException e) {
            throw new CasesException(file + ": cannot be read: " + e.getMessage());
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(file.toString(), yaml, path -> Files.readAllBytes(folder.resolve(path)));
    }

    /**
     * Parses a cases file held in memory (the push service keeps it with a plugin version).
     *
     * @param source the file's name for messages
     * @param files reads the message files the cases name ({@code message:})
     */
    public static MailCases parse(String source, byte[] yaml, MessageFiles files) throws CasesException {
        return new Parser(source, files).parse(new String(yaml, StandardCharsets.UTF_8));
    }

    /** Walks the YAML node tree, whose marks give each error its line. */
    private static final class Parser {
        private static final Set<String> TOP_KEYS = Set.of("from", "to", "cases");
        private static final Set<String> CASE_KEYS = Set.of("name", "from", "to", "message", "headers", "body", "expect");
        private static final Set<String> EXPECT_KEYS = Set.of("exit", "delivered", "reply", "suppressed");
        private static final Set<String> REPLY_KEYS = Set.of("subject", "subject_contains", "subject_matches",
                "body_contains", "body_matches");

        private final String source;
        private final MessageFiles files;

        Parser(String source, MessageFiles files) {
            this.source = source;
            this.files = files;
        }

        MailCases parse(String text) throws CasesException {
            Node root;
            try {
                root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
            } catch (MarkedYAMLException e) {
                Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                Mark c = e.getContextMark();
                String context = e.getContext() == null ? "" : e.getContext()
                        + (c == null ? "" : " (from line " + (c.getLine() + 1) + ")") + ": ";
                throw new CasesException(source + (m == null ? "" : ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                        + ": not valid YAML: " + context + e.getProblem());
            } catch (YAMLException e) {
                throw new CasesException(source + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
            }
            if (root == null) {
                throw new CasesException(source + ": empty: expected a mapping with 'cases:', a list of cases");
            }
            Map<String, Node> top = mapping(root, "the file", TOP_KEYS);
            String from = top.containsKey("from") ? scalar(top.get("from"), "from") : null;
            String to = top.containsKey("to") ? scalar(top.get("to"), "to") : null;
            if (from != null) {
                checkAddress(top.get("from"), "from", from);
            }
            if (to != null && !to.isBlank()) {
                checkAddress(top.get("to"), "to", to);
            }
            Node list = top.get("cases");
            if (list == null) {
                throw error(root, "no 'cases:' (a list of cases)");
            }
            if (!(list instanceof SequenceNode seq)) {
                throw error(list, "'cases' must be a list of cases");
            }
            if (seq.getValue().isEmpty()) {
                throw error(list, "'cases' is empty");
            }
            List<MailCase> cases = new ArrayList<>();
            for (Node c : seq.getValue()) {
                cases.add(mailCase(c, from, to));
            }
            return new MailCases(source, cases);
        }

        private MailCase mailCase(Node node, String from, String to) throws CasesException {
            Map<String, Node> c = mapping(node, "a case", CASE_KEYS);
            String name = required(node, c, "name");
            String sender = c.containsKey("from") ? scalar(c.get("from"), "from") : from;
            String recipient = c.containsKey("to") ? scalar(c.get("to"), "to") : to;
            if (sender == null) {
                throw error(node, "case '" + name + "': no 'from' (the envelope sender; \"\" for the null sender), "
                        + "here or at the top of the file");
            }
            if (recipient == null || recipient.isBlank()) {
                throw error(node, "case '" + name + "': no 'to' (the envelope recipient), here or at the top of the file");
            }
            if (c.containsKey("from")) {
                checkAddress(c.get("from"), "case '" + name + "': from", sender);
            }
            if (c.containsKey("to")) {
                checkAddress(c.get("to"), "case '" + name + "': to", recipient);
            }
            byte[] message;
            if (c.containsKey("message")) {
                if (c.containsKey("headers") || c.containsKey("body")) {
                    throw error(c.get("message"), "case '" + name + "': either 'message' (a file) or 'headers' and "
                            + "'body', not both");
                }
                String path = scalar(c.get("message"), "message");
                try {
                    message = files.read(path);
                } catch (NoSuchFileException e) {
                    throw error(c.get("message"), "case '" + name + "': the message file " + path + " does not exist");
                } catch (IOException e) {
                    throw error(c.get("message"), "case '" + name + "': the message file " + path
                            + " cannot be read: " + e.getMessage());
                }
            } else if (c.containsKey("headers") || c.containsKey("body")) {
                message = inline(c, name);
            } else {
                throw error(node, "case '" + name + "': no message: 'message' (an .eml file) or 'headers' and 'body'");
            }
            Node expectNode = c.get("expect");
            if (expectNode == null) {
                throw error(node, "case '" + name + "': no 'expect' (what must happen)");
            }
            return new MailCase(name, line(node), sender, recipient, message, expectation(expectNode, name));
        }

        /** A message from inline headers (in their order) and body, with LF line ends as Postfix hands them. */
        private byte[] inline(Map<String, Node> c, String name) throws CasesException {
            StringBuilder m = new StringBuilder();
            if (c.containsKey("headers")) {
                Node h = c.get("headers");
                if (!(h instanceof MappingNode map)) {
                    throw error(h, "case '" + name + "': 'headers' must be a mapping of header name to value");
                }
                for (NodeTuple t : map.getValue()) {
                    String header = scalar(t.getKeyNode(), "a header name");
                    if (!header.matches("[!-9;-~]+")) {
                        throw error(t.getKeyNode(), "case '" + name + "': '" + header + "' is not a header name");
                    }
                    String value = scalar(t.getValueNode(), header);
                    m.append(header).append(": ").append(value.replace("\r\n", "\n").replace("\n", "\n ")).append('\n');
                }
            }
            m.append('\n');
            if (c.containsKey("body")) {
                String body = scalar(c.get("body"), "body");
                m.append(body);
                if (!body.endsWith("\n")) {
                    m.append('\n');
                }
            }
            return m.toString().getBytes(StandardCharsets.UTF_8);
        }

        private Expectation expectation(Node node, String name) throws CasesException {
            Map<String, Node> e = mapping(node, "'expect'", EXPECT_KEYS);
            if (e.isEmpty()) {
                throw error(node, "case '" + name + "': 'expect' is empty (known: " + known(EXPECT_KEYS) + ")");
            }
            Integer exit = null;
            if (e.containsKey("exit")) {
                String s = scalar(e.get("exit"), "exit");
                try {
                    exit = Integer.valueOf(s);
                } catch (NumberFormatException x) {
                    exit = -1;
                }
                if (exit < 0 || exit > 255) {
                    throw error(e.get("exit"), "exit: expected an exit code (0, 64..78), got '" + s + "'");
                }
            }
            Boolean delivered = e.containsKey("delivered") ? bool(e.get("delivered"), "delivered") : null;
            ReplyExpectation reply = e.containsKey("reply") ? reply(e.get("reply")) : null;
            String suppressed = e.containsKey("suppressed") ? scalar(e.get("suppressed"), "suppressed") : null;
            if (suppressed != null && reply != null && reply.sent()) {
                throw error(e.get("suppressed"), "case '" + name + "': a reply cannot be both sent and suppressed");
            }
            return new Expectation(exit, delivered, reply, suppressed);
        }

        private ReplyExpectation reply(Node node) throws CasesException {
            if (node instanceof ScalarNode s) {
                return switch (s.getValue()) {
                    case "none" -> new ReplyExpectation(false, null, null, null, null, null);
                    case "sent" -> new ReplyExpectation(true, null, null, null, null, null);
                    default -> throw error(node, "reply: expected none, sent or a mapping of "
                            + known(REPLY_KEYS) + ", got '" + s.getValue() + "'");
                };
            }
            Map<String, Node> r = mapping(node, "'reply'", REPLY_KEYS);
            return new ReplyExpectation(true, optional(r, "subject"), optional(r, "subject_contains"),
                    pattern(r, "subject_matches"), optional(r, "body_contains"), pattern(r, "body_matches"));
        }

        private String optional(Map<String, Node> m, String key) throws CasesException {
            return m.containsKey(key) ? scalar(m.get(key), key) : null;
        }

        private Pattern pattern(Map<String, Node> m, String key) throws CasesException {
            String regex = optional(m, key);
            if (regex == null) {
                return null;
            }
            try {
                return Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw error(m.get(key), key + ": not a regular expression: " + e.getDescription() + " in '" + regex + "'");
            }
        }

        private Map<String, Node> mapping(Node node, String what, Set<String> keys) throws CasesException {
            if (!(node instanceof MappingNode map)) {
                throw error(node, what + " must be a mapping (known keys: " + known(keys) + ")");
            }
            Map<String, Node> values = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                String key = scalar(t.getKeyNode(), "a key");
                if (!keys.contains(key)) {
                    throw error(t.getKeyNode(), "unknown key '" + key + "' in " + what + " (known: " + known(keys) + ")");
                }
                if (values.put(key, t.getValueNode()) != null) {
                    throw error(t.getKeyNode(), "'" + key + "' is given twice");
                }
            }
            return values;
        }

        private String required(Node parent, Map<String, Node> m, String key) throws CasesException {
            if (!m.containsKey(key)) {
                throw error(parent, "a case without '" + key + "'");
            }
            String s = scalar(m.get(key), key);
            if (s.isBlank()) {
                throw error(m.get(key), "'" + key + "' is empty");
            }
            return s;
        }

        private String scalar(Node node, String what) throws CasesException {
            if (!(node instanceof ScalarNode s)) {
                throw error(node, what + " must be a single value, not a " + (node instanceof MappingNode ? "mapping"
                        : "list"));
            }
            return s.getValue();
        }

        private boolean bool(Node node, String what) throws CasesException {
            String s = scalar(node, what);
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw error(node, what + ": expected true or false, got '" + s + "'");
            };
        }

        private static String known(Set<String> keys) {
            return String.join(", ", keys.stream().sorted().toList());
        }

        private static int line(Node node) {
            return node.getStartMark().getLine() + 1;
        }

        /** A sender ("" is the null sender) or recipient that Postfix could hand the filter. */
        private void checkAddress(Node node, String what, String address) throws CasesException {
            if (!(what.endsWith("from") && address.isEmpty()) && EnvelopeAddress.problem(address) != null) {
                throw error(node, what + " '" + address + "': " + EnvelopeAddress.problem(address)
                        + (what.endsWith("from") ? "; \"\" is the null sender" : ""));
            }
        }

        private CasesException error(Node node, String message) {
            return new CasesException(source + ":" + line(node) + ": " + message);
        }
    }
}
