package certgate.adapters.cli;

import certgate.engine.Decision;
import certgate.engine.PathCertificate;
import certgate.engine.trace.TraceStep;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * How decisions are printed. One convention everywhere: words from a closed set of states (verdict, step,
 * outcome, source) print in lowercase; reason codes print as their stable enum names ({@code REVOKED}), the
 * same string the log stores and the README documents, so a grep finds them everywhere.
 */
public final class DecisionFormat {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private DecisionFormat() {
    }

    /** For a person: verdict and reason, then the trace as indented lines, then the path, peer first. */
    public static String text(Decision decision) {
        StringBuilder out = new StringBuilder();
        out.append(lower(decision.verdict())).append(' ').append(decision.reason().name()).append('\n');
        for (TraceStep step : decision.trace()) {
            // A detail may span lines; continuation lines line up under the first.
            String[] lines = step.detail().split("\n", -1);
            String head = String.format("  %-12s %-8s %s", lower(step.step()), lower(step.outcome()),
                    Terminal.safe(lines[0]));
            out.append(head.stripTrailing()).append('\n');
            for (int i = 1; i < lines.length; i++) {
                out.append(" ".repeat(24)).append(Terminal.safe(lines[i])).append('\n');
            }
        }
        if (decision.path().isEmpty()) {
            out.append("path: none built\n");
        } else {
            out.append("path:\n");
            for (PathCertificate certificate : decision.path()) {
                out.append(String.format("  %-8s %s\n", lower(certificate.source()),
                        Terminal.safe(certificate.subject())));
                out.append(String.format("  %-8s issuer %s\n", "", Terminal.safe(certificate.issuer())));
                out.append(String.format("  %-8s serial %s  sha256 %s\n", "", Terminal.safe(certificate.serialHex()),
                        Terminal.safe(certificate.sha256())));
            }
        }
        return out.toString();
    }

    /** The JSON object {@code --format json} prints and {@code --requests} prints per line. */
    public static ObjectNode json(String requestId, Decision decision) {
        ObjectNode root = JSON.createObjectNode();
        root.put("requestId", requestId);
        root.put("verdict", lower(decision.verdict()));
        root.put("reason", decision.reason().name());
        ArrayNode trace = root.putArray("trace");
        for (TraceStep step : decision.trace()) {
            trace.addObject()
                    .put("step", lower(step.step()))
                    .put("outcome", lower(step.outcome()))
                    .put("detail", step.detail());
        }
        ArrayNode chain = root.putArray("chain");
        for (PathCertificate certificate : decision.path()) {
            chain.addObject()
                    .put("subject", certificate.subject())
                    .put("issuer", certificate.issuer())
                    .put("serial", certificate.serialHex())
                    .put("sha256", certificate.sha256())
                    .put("source", lower(certificate.source()));
        }
        return root;
    }

    /** An empty object, for the other commands' {@code --format json}: one mapper for all of certgate's JSON. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** The object a bad {@code --requests} line gets instead of a decision. */
    static ObjectNode error(String requestId, int line, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("requestId", requestId);
        root.put("line", line);
        root.putObject("error").put("code", code).put("message", message);
        return root;
    }

    /** One line of JSON, without a line break. */
    public static String oneLine(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    public static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
