package certgate.adapters.cli;

import certgate.adapters.fetch.FetcherFactory;
import certgate.adapters.serve.ServeFixture;
import certgate.engine.testpki.PemText;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.log.FileEventLog;
import certgate.eventstore.log.LogReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A working directory for the store commands in tests: files written into it, a store at {@code store/} inside
 * it (named by {@code --store store}, resolved against the working directory as the real CLI resolves it against
 * the process's), a clock the test moves, and the commands run in-process with their output captured.
 *
 * <p>The PKI of the scenarios: a root, an issuing CA under it, a good and a revoked peer, and a CRL from each CA
 * (the issuing CA's revokes the second peer), all EC P-256 and valid around {@link TestPki#NOW}.
 */
final class StoreFixture {
    static final Instant START = TestPki.NOW.minus(Duration.ofHours(1));

    final Path dir;
    final TestClock clock = new TestClock(START);
    private final Map<String, String> environment;
    /** What {@code validate} and {@code fetch} fetch with: no network unless a test scripts one. */
    FetcherFactory fetchers = FetcherFactory.standard();

    StoreFixture(Path dir) {
        this(dir, Map.of());
    }

    StoreFixture(Path dir, Map<String, String> environment) {
        this.dir = dir;
        this.environment = environment;
    }

    Path store() {
        return dir.resolve("store");
    }

    StoreOption option() {
        return new StoreOption(environment::get, dir);
    }

    /** The commands of the store, with this fixture's clock, environment and working directory. */
    List<Command> commands() {
        StoreOption option = option();
        return List.of(new LoadCommand(clock, option), new ValidateCommand(clock, option, fetchers),
                new FetchCommand(clock, option, fetchers), new PolicyCommand(clock, option),
                new ReplayCommand(clock, option), new ExplainCommand(option), new AuditCommand(option),
                new WhatifCommand(option), new ReportCommand(clock, option), new LogCommand(option),
                new CheckpointCommand(clock, option), new KeygenCommand(clock, option),
                new RequestCommand(clock, option), new StatusCommand(clock, option),
                new CheckCommand(option), new ExportCommand(option),
                new ServeCommand(clock, option, ServeFixture.LIMITS), new SnapshotCommand(option));
    }

    /** Runs {@code certgate ARGS} with the store commands, adding {@code --store store} unless told otherwise. */
    Result run(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        if (!argv.contains("--store") && !argv.contains("--help")) {
            argv.add("--store");
            argv.add("store");
        }
        return runExactly(argv);
    }

    /** Runs exactly {@code argv}, without adding {@code --store}. */
    Result runExactly(List<String> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.withHelp(commands()).run(argv, new ByteArrayInputStream(new byte[0]), stdout, stderr);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String write(String name, byte[] content) {
        try {
            Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name;
    }

    String writePem(String name, TestCert certificate) {
        return write(name, certificate.pem().getBytes(StandardCharsets.US_ASCII));
    }

    String writeCrl(String name, byte[] der) {
        return write(name, PemText.crl(der).getBytes(StandardCharsets.US_ASCII));
    }

    /** The bytes of the store's segment files, in order (for tampering and "nothing was appended"). */
    List<Path> segments() {
        try (Stream<Path> files = Files.list(store())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event of the store, read as a reader would. */
    List<RecordedEvent> events() {
        List<RecordedEvent> events = new ArrayList<>();
        try (LogReader reader = LogReader.open(store())) {
            reader.poll(events::add);
        }
        return events;
    }

    /** Appends events as another writer would, bypassing the commands' checks (for stores the CLI never writes). */
    void appendDirectly(Event... events) {
        try (FileEventLog log = FileEventLog.openForAppend(store(), clock)) {
            log.append(List.of(events));
        }
    }

    /** A request as validate records it, with default settings and no identity. */
    static ValidationRequested request(String id, TestCert peer, Instant at) {
        return new ValidationRequested(id, peer.blob(), List.of(), Optional.empty(), at, ValidationSettings.DEFAULTS,
                Optional.empty(), Optional.empty());
    }

    /** The bytes in the store's segments; 0 when there is no store. */
    long storeBytes() {
        if (!Files.isDirectory(store())) {
            return 0;
        }
        long total = 0;
        for (Path segment : segments()) {
            try {
                total += Files.size(segment);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }

    /** What a command printed and returned. */
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A clock the test sets; it does not move by itself. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
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
            throw new UnsupportedOperationException("a test clock stays in UTC");
        }
    }

    /** The scenario PKI, made fresh for each test. */
    record Pki(TestPki root, TestPki issuing, TestCert good, TestCert revoked, byte[] rootCrl, byte[] issuingCrl) {
        static Pki create() {
            TestPki root = TestPki.root("CN=Store Root CA, O=certgate test, C=US");
            TestPki issuing = root.intermediate("CN=Store Issuing CA, O=certgate test, C=US");
            TestCert good = issuing.leaf("CN=gw1.example.net, O=certgate test", TestPki.dns("gw1.example.net"));
            TestCert revoked = issuing.leaf("CN=gw2.example.net, O=certgate test", TestPki.dns("gw2.example.net"));
            return new Pki(root, issuing, good, revoked, root.crl().build(),
                    issuing.crl().revoke(revoked.serial()).build());
        }

        /** Writes root.pem, issuing.pem, gw1.pem, gw2.pem, root.crl, issuing.crl into the fixture's directory. */
        Pki writeTo(StoreFixture fixture) {
            fixture.writePem("root.pem", root.certificate());
            fixture.writePem("issuing.pem", issuing.certificate());
            fixture.writePem("gw1.pem", good);
            fixture.writePem("gw2.pem", revoked);
            fixture.writeCrl("root.crl", rootCrl);
            fixture.writeCrl("issuing.crl", issuingCrl);
            return this;
        }
    }

    /** Loads both CAs and both CRLs, as an operator would before the first validation. */
    void loadAll() {
        Result cas = run("load", "ca", "root.pem", "issuing.pem");
        Result crls = run("load", "crl", "root.crl", "issuing.crl");
        if (cas.status() != 0 || crls.status() != 0) {
            throw new AssertionError("loading the scenario PKI failed:\n" + cas + "\n" + crls);
        }
    }
}
