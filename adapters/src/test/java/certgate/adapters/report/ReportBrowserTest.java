package certgate.adapters.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.store.History;
import certgate.adapters.store.Progress;
import certgate.eventstore.Verdict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser: headless Chromium loads a report of a generated store, logs nothing to its
 * console (no script error, no refused load), builds the charts' SVG elements in the numbers the log calls for,
 * and renders them: the screenshot, kept in {@code target/report-browser/}, shows the verdict colours.
 */
class ReportBrowserTest {
    /** Where the page and its screenshot are kept for a person to look at after the build. */
    static final Path ARTIFACTS = Path.of("target", "report-browser");
    private static final Pattern CLASSED = Pattern.compile("<([a-z]+) class=\"([^\"]*)\"");

    @TempDir
    static Path shared;
    private static Path page;
    private static LogTally tally;

    @BeforeAll
    static void writeReport() throws IOException {
        Chromium.assumeAvailable();
        ReportStore.Generated store = ReportStore.generate(shared.resolve("store"), 7, 3);
        tally = LogTally.of(store.store());
        History history = History.read(store.store(), Optional.empty(), Optional.empty(), Progress.silent());
        Files.createDirectories(ARTIFACTS);
        page = ARTIFACTS.resolve("report.html");
        Files.writeString(page, Report.html(history, "generated-store", store.end()), StandardCharsets.UTF_8);
    }

    @Test
    void the_console_check_sees_a_refused_load() throws IOException {
        Path canary = shared.resolve("canary.html");
        Files.writeString(canary, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\""
                + " content=\"default-src 'none'\"/></head><body><img src=\"data:image/png;base64,AAAA\"/></body>"
                + "</html>");

        Chromium.Run run = Chromium.dumpDom(canary);

        assertFalse(run.console().isEmpty(), "a page whose load is refused must show on the console:\n"
                + run.stderr());
    }

    @Test
    void the_page_loads_without_a_console_message_and_builds_every_chart() {
        Chromium.Run run = Chromium.dumpDom(page);

        assertEquals(List.of(), run.console());
        String dom = run.stdout();
        assertEquals(tally.hoursWith(Verdict.ACCEPT), count(dom, "rect", "bar-accept"));
        assertEquals(tally.hoursWith(Verdict.REJECT), count(dom, "rect", "bar-reject"));
        assertEquals(Math.min(Report.TOP_REASONS, tally.rejectionReasons().size()), count(dom, "rect",
                "reason-bar"));
        assertEquals(tally.crlSources().size(), count(dom, "svg", "crl-chart"));
        assertEquals(tally.crlLoads().size(), count(dom, "circle", "crl-load"));
        assertEquals(tally.activations().size() * (1 + tally.crlSources().size()), count(dom, "line",
                "policy-mark"), "each activation is marked on the decisions chart and on every CRL chart");
        assertEquals(2, count(dom, "rect", "cert-bar"));
        assertEquals(4, count(dom, "tr", "gateway-row"));
        assertFalse(dom.contains("<script"), "no script");
    }

    @Test
    void the_screenshot_shows_the_charts() throws IOException {
        Path png = ARTIFACTS.resolve("report.png");
        Files.deleteIfExists(png);

        Chromium.Run run = Chromium.screenshot(page, png, 2500);

        assertEquals(List.of(), run.console());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
        assertTrue(pixels(image, 0x2e7d32) > 2_000, "the accepted bars are drawn in their green");
        assertTrue(pixels(image, 0xc62828) > 500, "the rejected bars are drawn in their red");
        assertTrue(pixels(image, 0x1565c0) > 500, "the CRL ages are drawn in their blue");
    }

    /** Elements {@code element} whose class holds {@code cssClass}, in Chromium's serialisation of the DOM. */
    private static long count(String dom, String element, String cssClass) {
        Matcher m = CLASSED.matcher(dom);
        long count = 0;
        while (m.find()) {
            if (m.group(1).equals(element) && List.of(m.group(2).split("\\s+")).contains(cssClass)) {
                count++;
            }
        }
        return count;
    }

    /** Pixels of exactly {@code rgb}: the page's flat fills render unblended. */
    private static long pixels(BufferedImage image, int rgb) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }
}
