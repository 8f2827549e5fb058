package certgate.bench.crl;

import certgate.adapters.fetch.CrlFetcher;
import certgate.adapters.fetch.CrlRefresh;
import certgate.adapters.fetch.FetchOutcome;
import certgate.adapters.policy.PolicySource;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.bench.Arguments;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.log.FileEventLog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code certgate bench refresh}: how much the log grows when a CRL distribution point is refreshed and the CRL
 * has not changed (issue 10: a year of hourly refreshes of a 40 MB CRL must not add 40 MB a day). A store holds
 * the issuing CA of the benchmark PKI and its CRL of {@code --entries} entries, fetched once; then
 * {@code --refreshes} refreshes run through the same path as {@code certgate fetch} ({@link CrlRefresh}, the
 * engine's checks, one durable batch each), first with the server answering 304 to the conditional fetch, then
 * with a server that ignores the conditions and sends the same CRL again. The figure is bytes on disk per
 * refresh. The fetcher answers in process: the network is not what is measured here.
 */
public final class RefreshBenchmark {
    private static final String USAGE = """
            usage: certgate bench refresh [--entries N] [--refreshes N] [--dir DIR]
              --entries N     entries of the CRL refreshed                              default 100000
              --refreshes N   refreshes of each kind (304, then the same body again)    default 1000
              --dir DIR       where to write the store (a temporary directory by default, deleted afterwards)
            """;
    private static final URI URL = URI.create("http://127.0.0.1:8000/issuing-ca.crl");

    private RefreshBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the benchmark; returns the exit code (0 done, 2 bad arguments, 1 failure). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        int entries = 100_000;
        int refreshes = 1_000;
        String dirOption = null;
        try {
            Arguments arguments = new Arguments(args);
            while (arguments.hasNext()) {
                String option = arguments.option();
                switch (option) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--entries" -> entries = arguments.number(option, 0, 10_000_000);
                    case "--refreshes" -> refreshes = arguments.number(option, 1, 1_000_000);
                    case "--dir" -> dirOption = arguments.value(option);
                    default -> throw Arguments.unknown(option);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("certgate bench refresh: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        Path dir = null;
        try {
            dir = dirOption == null ? Files.createTempDirectory("certgate-bench-refresh")
                    : Files.createDirectories(Path.of(dirOption));
            err.println("building a CRL of " + entries + " entries ...");
            BenchPki pki = BenchPki.build(1, entries, 0, BenchPki.Progress.none());
            Report report = measure(pki, dir.resolve("store"), refreshes);
            out.printf("CRL refreshed: %,d entries, %,d bytes; appended once when first fetched: %,d bytes%n",
                    pki.crlEntries, pki.issuingCrl.length, report.first());
            out.printf("log growth per refresh of the unchanged CRL (%,d refreshes each): 304 Not Modified %.1f"
                    + " bytes; same body sent again (200) %.1f bytes%n", refreshes,
                    (double) report.notModified() / refreshes, (double) report.sameBody() / refreshes);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("certgate bench refresh: failed: " + e);
            return 1;
        } finally {
            if (dirOption == null && dir != null) {
                deleteTree(dir);
            }
        }
    }

    /** Bytes appended: by the first fetch, by all the 304 refreshes, by all the same-body refreshes. */
    record Report(long first, long notModified, long sameBody) {
    }

    static Report measure(BenchPki pki, Path store, int refreshes) throws IOException {
        Files.createDirectories(store);
        Path policy = store.resolveSibling("refresh-policy.yaml");
        Files.writeString(policy, """
                version: 1
                pki:
                  ca-profiles:
                    - name: bench
                      revocation-check:
                        crl:
                          url: %s
                          refresh-interval: 1h
                ike:
                  gateways:
                    - name: gw
                      ca-profile: bench
                      remote-identity: {fqdn: gw.example.net}
                """.formatted(URL), StandardCharsets.UTF_8);
        PolicySource source;
        try {
            source = PolicySource.read(policy, "refresh-policy.yaml");
        } catch (PolicySource.Unreadable e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        MovingClock clock = new MovingClock(pki.at);
        try (FileEventLog log = FileEventLog.openForAppend(store, clock)) {
            OpenedStore opened = OpenedStore.appending(log, Progress.silent());
            opened.append(List.of(new CaCertificateLoaded("default", Blob.of(BenchPki.encoded(pki.issuing))),
                    source.activation()));
            long start = sizeOf(store);
            refresh(opened, clock, (url, previous) -> fetched(pki.issuingCrl));
            long afterFirst = sizeOf(store);
            for (int i = 0; i < refreshes; i++) {
                refresh(opened, clock, (url, previous) -> new FetchOutcome.NotModified(url, 304, previous,
                        Duration.ZERO));
            }
            long afterNotModified = sizeOf(store);
            for (int i = 0; i < refreshes; i++) {
                refresh(opened, clock, (url, previous) -> fetched(pki.issuingCrl));
            }
            return new Report(afterFirst - start, afterNotModified - afterFirst, sizeOf(store) - afterNotModified);
        }
    }

    /** One refresh a minute later (inside the CRL's validity), as {@code certgate fetch} does it: ask, fetch, check, append as one batch. */
    private static void refresh(OpenedStore opened, MovingClock clock, Answer answer) {
        clock.advance(Duration.ofMinutes(1));
        Instant now = clock.instant();
        CrlFetcher fetcher = new CrlFetcher() {
            @Override
            public FetchOutcome fetch(URI url, FetchOutcome.Validators previous) {
                return answer.answer(url, previous);
            }

            @Override
            public String refusal(URI url) {
                return null;
            }
        };
        List<CrlRefresh.Report> reports = CrlRefresh.refresh(opened.state(),
                opened.state().caCrls(now, opened.state().activePolicy()), fetcher, now);
        if (!reports.stream().allMatch(CrlRefresh.Report::gotCrl)) {
            throw new IllegalStateException("a refresh did not get the CRL: " + reports.get(0).detail());
        }
        opened.append(CrlRefresh.events(reports));
    }

    private interface Answer {
        FetchOutcome answer(URI url, FetchOutcome.Validators previous);
    }

    private static FetchOutcome fetched(byte[] body) {
        return new FetchOutcome.Fetched(URL, URL, 200, new FetchOutcome.Validators("\"crl-1000\"",
                "Sun, 01 Jun 2025 11:00:00 GMT"), body, Duration.ZERO);
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** A clock the benchmark moves a minute per refresh. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
