package certgate.adapters.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.store.History;
import certgate.adapters.store.Progress;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Reason;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.FileEventLog;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Hostile text in the log (a CA's name, a CRL's source, a gateway's name: all chosen by whoever wrote the
 * certificate or the command line) stays text on the report page: the page parses, gains no element and no
 * reference outside itself, and shows the text as it is, with only what XML cannot hold written as {@code \}uXXXX.
 */
class ReportEscapingProperties {
    /** Pieces of markup, script, URLs, entities and characters XML 1.0 cannot hold. */
    private static final List<String> FRAGMENTS = List.of("<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "]]>", "<!--", "-->", "&amp;", "&#x3c;", "&lt;", "http://evil.example/x.js", "//evil.example",
            "url(http://evil.example)", "@import 'x';", "</style>", "</svg>", "<svg onload=alert(1)>", "'", "\"",
            "<![CDATA[", "<?xml?>", "\u0000", "\u001b[31m", "\r\n", "\t", "\u0085", "\u2028", "\u202e", "\ud800",
            "\udfff", "\ud83d\ude00", "\uffff", "\ufffe", "a", " ", "CN=", ",", "+", "\\", "=", "#", "\u00e9");
    /** The pieces the log can hold: it refuses text with a lone surrogate, which UTF-8 cannot carry. */
    private static final List<String> LOG_FRAGMENTS = FRAGMENTS.stream()
            .filter(f -> !f.equals("\ud800") && !f.equals("\udfff")).toList();
    /** The pieces a DN value can carry through a certificate (printable, no lone surrogate). */
    private static final List<String> DN_FRAGMENTS = FRAGMENTS.stream()
            .filter(f -> f.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == 0xe9)).toList();

    @TempDir
    Path dir;

    private static Gen<String> hostile(List<String> fragments) {
        return Gens.listOf(Gens.pick(fragments), 1, 6).map(parts -> String.join("", parts));
    }

    @Test
    void escaped_text_reads_back_as_itself_in_content_and_in_attributes() {
        Property.forAll(hostile(FRAGMENTS)).tries(500).check(text -> {
            String escaped = Html.escape(text);
            Document page = ReportPages.parse("<p title=\"" + escaped + "\" class='" + escaped + "'>" + escaped
                    + "</p>");
            Element p = page.getDocumentElement();
            assertEquals(visible(text), p.getTextContent());
            String attribute = visible(text).replace('\t', ' ').replace('\n', ' ');
            assertEquals(attribute, p.getAttribute("title"));
            assertEquals(attribute, p.getAttribute("class"));
            assertEquals(0, p.getElementsByTagName("*").getLength(), "no element inside");
        });
    }

    @Test
    void hostile_names_and_sources_in_the_log_stay_text_on_the_page() {
        Map<String, Integer> benign = elements(page(dir.resolve("benign"), "Benign CA", "file:benign.crl", "gw"));
        AtomicInteger run = new AtomicInteger();
        Gen<List<String>> three = random -> List.of(hostile(DN_FRAGMENTS).generate(random),
                hostile(LOG_FRAGMENTS).generate(random), hostile(LOG_FRAGMENTS).generate(random));
        Property.forAll(three).tries(40).check(strings -> {
            String caName = strings.get(0).strip().isEmpty() ? "x" + strings.get(0) + "x" : strings.get(0);
            Document page = page(dir.resolve("hostile-" + run.incrementAndGet()), caName, strings.get(1),
                    strings.get(2));
            assertEquals(List.of(), ReportPages.externalReferences(page));
            assertEquals(benign, elements(page), "the same elements as a page of benign names");
            String text = page.getDocumentElement().getTextContent();
            assertTrue(text.contains(visible(strings.get(1))), "the CRL source is shown as it is: " + strings.get(1));
            assertTrue(text.contains(visible(strings.get(2))), "the gateway is shown as it is: " + strings.get(2));
        });
    }

    /** A store holding one CA named {@code caName} (its CRL, a local certificate and a decision), as a page. */
    private static Document page(Path store, String caName, String crlSource, String gateway) {
        TestPki ca = TestPki.root("CN=" + rfc4514(caName) + ", O=Hostile");
        TestCert peer = ca.leaf("CN=peer, O=Hostile");
        Instant at = TestPki.NOW;
        try (FileEventLog log = FileEventLog.openForAppend(store, Clock.fixed(at, ZoneOffset.UTC))) {
            log.append(List.of(new CaCertificateLoaded("default", ca.certificate().blob()),
                    new CrlLoaded(Blob.of(ca.crl().build()), crlSource),
                    new LocalCertificateLoaded(ca.leaf("CN=local, O=Hostile").blob(), Optional.of(gateway)),
                    new ValidationRequested("r1", peer.blob(), List.of(), Optional.of(new IkeIdentity(
                            IkeIdentity.Type.DN, "CN=peer, O=Hostile")), at, ValidationSettings.DEFAULTS,
                            Optional.empty(), Optional.empty()),
                    new ValidationDecided("r1", Verdict.REJECT, Reason.REVOKED)));
        }
        History history = History.read(store, Optional.empty(), Optional.empty(), Progress.silent());
        String html = Report.html(history, store.toString(), at);
        try {
            Files.writeString(store.resolve("report.html"), html);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return ReportPages.parse(html);
    }

    /** How many elements of each name the page has. */
    private static Map<String, Integer> elements(Document page) {
        Map<String, Integer> counts = new TreeMap<>();
        NodeList all = page.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            counts.merge(all.item(i).getNodeName(), 1, Integer::sum);
        }
        return counts;
    }

    /** A DN attribute value as RFC 4514 text: the special characters escaped with a backslash. */
    private static String rfc4514(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ("\\\"+,;<>=#".indexOf(c) >= 0 || c == ' ' && (i == 0 || i == value.length() - 1)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * The oracle: what a person should see of {@code text}. Code points XML 1.0 can hold stay, except the C0 and
     * C1 controls (tab and newline aside), the line and paragraph separators and the bidirectional controls;
     * every other UTF-16 unit becomes {@code \}uXXXX.
     */
    private static String visible(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int units = Character.charCount(cp);
            boolean paired = units == 2;
            boolean shown = cp == '\t' || cp == '\n' || paired
                    || cp >= 0x20 && cp < 0x7f
                    || cp >= 0xa0 && cp < 0xd800 && !(cp >= 0x2028 && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069)
                    || cp > 0xdfff && cp < 0xfffe;
            if (shown) {
                out.appendCodePoint(cp);
            } else {
                for (int k = 0; k < units; k++) {
                    out.append(String.format("\\u%04x", (int) text.charAt(i + k)));
                }
            }
            i += units;
        }
        return out.toString();
    }
}
