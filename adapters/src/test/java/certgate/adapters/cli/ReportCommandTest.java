package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.adapters.report.LogTally;
import certgate.adapters.report.ReportPages;
import certgate.adapters.report.ReportStore;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.LogVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code certgate report --out FILE}: one page that parses, refers to nothing outside itself, and draws what the
 * log holds, counted independently from the log's events.
 */
class ReportCommandTest {
    /** Three days of a small fleet, generated once: the report only reads it. */
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        ReportStore.generate(shared.resolve("store"), 13, 3);
    }

    private static Path sharedStore() {
        return shared.resolve("store");
    }

    /** {@code certgate report ARGS --store SHARED}, in this test's own working directory. */
    private Result report(String... args) {
        List<String> argv = new ArrayList<>(List.of("report"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--store", sharedStore().toString()));
        return new StoreFixture(dir).runExactly(argv);
    }

    private String page(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void the_page_parses_and_refers_to_nothing_outside_itself() throws IOException {
        Result result = report("--out", "report.html");

        assertEquals(0, result.status(), result.toString());
        String page = page("report.html");
        Document document = ReportPages.parse(page);
        assertEquals(List.of(), ReportPages.externalReferences(document));
        for (String outside : List.of("http:", "https:", "//", "url(", "src=", "<script")) {
            assertFalse(page.contains(outside), "the page holds '" + outside + "'");
        }
    }

    @Test
    void the_charts_draw_what_the_log_holds() throws IOException {
        LogTally tally = LogTally.of(sharedStore());

        Result result = report("--out", "report.html");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().startsWith("report of " + tally.decisions() + " decisions ("), result.out());
        Document page = ReportPages.parse(page("report.html"));
        assertEquals(tally.hoursWith(Verdict.ACCEPT), ReportPages.count(page, "rect", "bar-accept"));
        assertEquals(tally.hoursWith(Verdict.REJECT), ReportPages.count(page, "rect", "bar-reject"));
        assertEquals(Math.min(10, tally.rejectionReasons().size()), ReportPages.count(page, "rect", "reason-bar"));
        assertEquals(tally.crlSources().size(), ReportPages.count(page, "svg", "crl-chart"));
        assertEquals(tally.crlLoads().size(), ReportPages.count(page, "circle", "crl-load"));
        assertEquals(tally.activations().size(), ReportPages.countWithin(page, "svg.decisions-chart", "line",
                "policy-mark"));
        assertEquals(2, ReportPages.count(page, "rect", "cert-bar"));
        assertEquals(List.of("hq", "branches", "partners", "(none)").stream().sorted().toList(),
                cells(page, "gateway-row", 0).stream().sorted().toList());
        assertTrue(ReportPages.count(page, "polyline", "stale") >= 2, "the missed refresh and the lapsed partner"
                + " CRL are drawn as stale");
        assertEquals(2, ReportPages.count(page, "line", "crl-refresh"), "the policy's refresh-interval for the"
                + " issuing and the partner CA");
        String text = page.getDocumentElement().getTextContent();
        assertTrue(text.contains("CRL_UNAVAILABLE") && text.contains("REVOKED") && text.contains("EXPIRED"), text);
        assertTrue(text.contains("latest checkpoint"), text);
        assertTrue(text.contains("head hash" + LogVerifier.verify(sharedStore()).head()), "the head, as log verify"
                + " recomputes it");
    }

    @Test
    void the_window_selects_decisions_by_the_time_of_their_request() throws IOException {
        LogTally tally = LogTally.of(sharedStore());
        long firstDay = tally.perHour().entrySet().stream()
                .filter(e -> e.getKey().isBefore(ReportStore.START.plusSeconds(86_400)))
                .mapToLong(e -> e.getValue()[0] + e.getValue()[1]).sum();

        Result result = report("--out", "day1.html", "--from", ReportStore.START.toString(),
                "--until", ReportStore.START.plusSeconds(86_399).toString());

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().startsWith("report of " + firstDay + " decisions ("), result.out() + " " + firstDay);
        Document page = ReportPages.parse(page("day1.html"));
        assertEquals(24, ReportPages.count(page, "rect", "bar-accept"), "one bar per hour of the day");
    }

    @Test
    void a_store_without_decisions_still_gives_a_page() throws IOException {
        StoreFixture fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
        fixture.loadAll();

        Result result = fixture.run("report", "--out", "empty.html");

        assertEquals(0, result.status(), result.toString());
        Document page = ReportPages.parse(page("empty.html"));
        assertEquals(0, ReportPages.count(page, "rect", "bar-accept"));
        assertEquals(2, ReportPages.count(page, "svg", "crl-chart"));
        assertTrue(page.getDocumentElement().getTextContent().contains("No decision in the window."));
    }

    @Test
    void usage_errors_and_a_missing_store_are_status_2() {
        StoreFixture fixture = new StoreFixture(dir);
        Result noOut = fixture.run("report");
        Result noStore = fixture.run("report", "--out", "r.html");
        Pki.create().writeTo(fixture);
        fixture.loadAll();
        Result backwards = fixture.run("report", "--out", "r.html", "--from", "2030-01-02", "--until", "2030-01-01");
        Result badTime = fixture.run("report", "--out", "r.html", "--from", "yesterday");
        Result nowhere = fixture.run("report", "--out", "no/such/dir/r.html");

        assertEquals(2, noOut.status(), noOut.toString());
        assertTrue(noOut.err().contains("--out FILE is required"), noOut.toString());
        assertEquals(2, noStore.status(), noStore.toString());
        assertTrue(noStore.err().contains("no event store at"), noStore.toString());
        assertEquals(2, backwards.status(), backwards.toString());
        assertTrue(backwards.err().contains("is after --until"), backwards.toString());
        assertEquals(2, badTime.status(), badTime.toString());
        assertEquals(2, nowhere.status(), nowhere.toString());
        assertTrue(nowhere.err().startsWith("certgate report: cannot write no/such/dir/r.html: "), nowhere.toString());
        assertFalse(Files.exists(dir.resolve("r.html")));
    }

    @Test
    void a_damaged_store_is_status_5_and_writes_nothing() throws IOException {
        StoreFixture fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
        fixture.loadAll();
        Path segment = fixture.segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 3] ^= 0x40;
        Files.write(segment, bytes);

        Result result = fixture.run("report", "--out", "r.html");

        assertEquals(ExitStatus.STORE_DAMAGED, result.status(), result.toString());
        assertFalse(Files.exists(dir.resolve("r.html")));
    }

    /** The text of column {@code column} in the table rows of class {@code rowClass}. */
    private static List<String> cells(Document page, String rowClass, int column) {
        List<String> cells = new ArrayList<>();
        NodeList rows = page.getElementsByTagName("tr");
        for (int i = 0; i < rows.getLength(); i++) {
            Element row = (Element) rows.item(i);
            if (row.getAttribute("class").equals(rowClass)) {
                cells.add(row.getElementsByTagName("td").item(column).getTextContent());
            }
        }
        return cells;
    }
}
