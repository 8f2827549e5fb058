package certgate.adapters.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.CompileResult;
import certgate.dsl.PolicyCompiler;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.PolicyDecisions;
import certgate.engine.Snapshot;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.FileEventLog;
import certgate.testkit.Bytes;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Opening a store through a snapshot is opening it: for random logs (CA, CRL and policy loads, decisions,
 * requests left unanswered or superseded, decisions without a request, local certificates), a snapshot taken at a
 * random sequence and the tail after it give exactly the fold of a full replay (the state, every count and
 * pairing {@code replay} prints, every decision re-decided), for a reader and for a writer. A snapshot that is
 * damaged, that names a chain value the log does not have, or that is of another format version gives the full
 * replay and one warning, never another state.
 */
class SnapshotOpeningProperties {
    private static final TestPki ROOT = TestPki.root("CN=Open Root, O=Open");
    private static final TestPki SUB = ROOT.intermediate("CN=Open Sub, O=Open");
    private static final List<TestCert> PEERS = List.of(
            SUB.leaf("CN=gw1", TestPki.dns("gw1.example")),
            SUB.issue(TestPki.spec("CN=gw2").serial(new BigInteger("7f23456789abcdef0123456789", 16))
                    .san(TestPki.dns("gw2.example"))),
            SUB.leaf("CN=gw3", TestPki.dns("gw3.example")));
    private static final String POLICY = """
            version: 1
            pki:
              ca-profiles:
                - name: corp
                  ca-identity: "CN=Open Sub, O=Open"
            ike:
              gateways:
                - name: gw1
                  ca-profile: corp
                  remote-identity: { fqdn: gw1.example }
                - name: gw2
                  ca-profile: corp
                  remote-identity: { fqdn: gw2.example }
            """;
    private static final String POLICY_REVISION = revision(POLICY);
    private static final List<Event> LOADS = List.of(
            new CaCertificateLoaded("default", ROOT.certificate().blob()),
            new CaCertificateLoaded("corp", SUB.certificate().blob()),
            new CrlLoaded(Blob.of(ROOT.crl().build()), "file:root.crl"),
            new CrlLoaded(Blob.of(SUB.crl().revoke(PEERS.get(1).serial()).number(1).build()), "file:sub.crl"),
            new CrlLoaded(Blob.of(SUB.crl().revoke(PEERS.get(2).serial()).number(2).build()), "file:sub2.crl"),
            new CrlLoaded(Blob.of(new byte[] {0x30, 0x01, 0}), "file:broken.crl"),
            new PolicyActivated(POLICY_REVISION, POLICY),
            new PolicyRecorded(POLICY_REVISION, POLICY),
            new LocalCertificateLoaded(PEERS.get(0).blob(), Optional.of("gw1")));

    /** One step of a scenario: a load, a decision, a request left unanswered, or a decision with no request. */
    record Step(int kind, int which) {
    }

    record Scenario(List<Step> steps, double snapshotAt) {
    }

    private static final Gen<Scenario> SCENARIOS = random -> {
        List<Step> steps = new ArrayList<>();
        int count = 2 + random.nextInt(24);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            steps.add(new Step(kind < 4 ? 0 : kind < 8 ? 1 : kind == 8 ? 2 : 3, random.nextInt(64)));
        }
        return new Scenario(steps, random.nextDouble());
    };

    private final List<Path> directories = new ArrayList<>();

    @AfterEach
    void removeStores() throws IOException {
        for (Path dir : directories) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Test
    void a_snapshot_at_any_sequence_and_the_tail_after_it_fold_exactly_as_the_whole_log() {
        Property.forAll(SCENARIOS).tries(25).check(scenario -> {
            Path dir = build(scenario);
            long events = countEvents(dir);
            long at = 1 + Math.min(events - 1, (long) (scenario.snapshotAt() * events));
            snapshotAt(dir, at);

            Observed full = observe(dir, OpenedStore.Opening.wholeLog(Progress.silent()), at);
            List<String> warnings = new ArrayList<>();
            Observed snapshot = observe(dir, OpenedStore.Opening.snapshots(Progress.silent(), warnings::add), at);
            assertEquals(List.of(), warnings);
            assertEquals(Optional.of(at), snapshot.openedFrom());
            assertSameText(full.text(), snapshot.text());

            try (FileEventLog log = FileEventLog.openForAppend(dir, clock())) {
                OpenedStore writer = OpenedStore.appending(log, OpenedStore.Opening.snapshots(Progress.silent(),
                        warnings::add)).snapshotEvery(0);
                assertEquals(List.of(), warnings);
                assertEquals(Optional.of(at), writer.openedFrom().map(StoreSnapshots.Covered::nextSequence));
                assertSameText(describe(full.replay(), Optional.empty()), describe(writer.replay(), Optional.empty()));
            }
        });
    }

    @Test
    void a_damaged_snapshot_gives_the_full_replay_and_one_warning() throws IOException {
        Path dir = build(new Scenario(fixedSteps(), 0.5));
        long at = countEvents(dir) / 2;
        Path file = snapshotAt(dir, at);
        byte[] valid = Files.readAllBytes(file);
        Observed full = observe(dir, OpenedStore.Opening.wholeLog(Progress.silent()), at);
        Property.forAll(Gens.damaged(valid)).tries(60).check(damaged -> {
            write(file, damaged);
            assertFullReplayWithOneWarning(dir, full, at);
        });
    }

    @Test
    void a_snapshot_of_a_log_rewritten_since_gives_the_full_replay_and_one_warning() throws IOException {
        Path original = build(new Scenario(fixedSteps(), 0.5));
        long at = countEvents(original) - 1;
        Path file = snapshotAt(original, at);
        // The same number of events, one of them different: the chain value at the snapshot's sequence differs.
        List<Step> steps = new ArrayList<>(fixedSteps());
        steps.set(0, new Step(0, 3));
        Path rewritten = build(new Scenario(steps, 0.5));
        assertEquals(countEvents(original), countEvents(rewritten));
        Files.createDirectories(rewritten.resolve(StoreSnapshots.DIRECTORY));
        Files.copy(file, rewritten.resolve(StoreSnapshots.DIRECTORY).resolve(file.getFileName()));
        Observed full = observe(rewritten, OpenedStore.Opening.wholeLog(Progress.silent()), at);
        List<String> warnings = assertFullReplayWithOneWarning(rewritten, full, at);
        assertTrue(warnings.get(0).contains("chain value"), warnings::toString);
    }

    @Test
    void a_snapshot_that_covers_more_than_the_log_holds_gives_the_full_replay_and_one_warning() throws IOException {
        Path longer = build(new Scenario(fixedSteps(), 0.5));
        Path file = snapshotAt(longer, countEvents(longer));
        Path shorter = build(new Scenario(fixedSteps().subList(0, 3), 0.5));
        Files.createDirectories(shorter.resolve(StoreSnapshots.DIRECTORY));
        Files.copy(file, shorter.resolve(StoreSnapshots.DIRECTORY).resolve(file.getFileName()));
        Observed full = observe(shorter, OpenedStore.Opening.wholeLog(Progress.silent()), 1);
        List<String> warnings = assertFullReplayWithOneWarning(shorter, full, 1);
        assertTrue(warnings.get(0).contains("log ends before"), warnings::toString);
    }

    @Test
    void a_snapshot_of_another_format_version_gives_the_full_replay_and_one_warning() throws IOException {
        Path dir = build(new Scenario(fixedSteps(), 0.5));
        long at = countEvents(dir) / 2;
        Path file = snapshotAt(dir, at);
        byte[] valid = Files.readAllBytes(file);
        Observed full = observe(dir, OpenedStore.Opening.wholeLog(Progress.silent()), at);

        byte[] otherFile = valid.clone();
        ByteBuffer.wrap(otherFile).putInt(4, StoreSnapshots.FILE_VERSION + 1);
        write(file, withChecksum(otherFile));
        List<String> warnings = assertFullReplayWithOneWarning(dir, full, at);
        assertTrue(warnings.get(0).contains("format version " + (StoreSnapshots.FILE_VERSION + 1)),
                warnings::toString);

        // The engine's part of another version, the file's checksum right: the engine's own check refuses it.
        byte[] otherEngine = valid.clone();
        int engineAt = Bytes.indexOf(otherEngine,
                new byte[] {0x43, 0x47, 0x53, 0x31, 0, 0, 0, (byte) Snapshot.FORMAT_VERSION});
        assertTrue(engineAt > 0, "the engine's part is in the file");
        otherEngine[engineAt + 7] = (byte) (Snapshot.FORMAT_VERSION + 1);
        write(file, withChecksum(otherEngine));
        warnings = assertFullReplayWithOneWarning(dir, full, at);
        assertTrue(warnings.get(0).contains("format version " + (Snapshot.FORMAT_VERSION + 1)), warnings::toString);
    }

    @Test
    void without_a_snapshot_a_store_opens_by_full_replay_and_says_nothing() {
        Path dir = build(new Scenario(fixedSteps(), 0.5));
        List<String> warnings = new ArrayList<>();
        Observed opened = observe(dir, OpenedStore.Opening.snapshots(Progress.silent(), warnings::add), 0);
        assertEquals(Optional.empty(), opened.openedFrom());
        assertEquals(List.of(), warnings);
        assertEquals(observe(dir, OpenedStore.Opening.wholeLog(Progress.silent()), 0).text(), opened.text());
    }

    @Test
    void a_writer_writes_a_snapshot_every_n_events_and_keeps_the_newest_few() throws Exception {
        Path dir = newStore();
        try (FileEventLog log = FileEventLog.openForAppend(dir, clock())) {
            OpenedStore store = OpenedStore.appending(log, OpenedStore.Opening.snapshots(Progress.silent(),
                    line -> { throw new AssertionError(line); })).snapshotEvery(4);
            store.append(LOADS.subList(0, 4));
            for (int i = 0; i < 12; i++) {
                store.decide(request("w" + i, PEERS.get(i % PEERS.size()), store.state()));
            }
        }
        List<Path> files = StoreSnapshots.files(dir);
        assertEquals(StoreSnapshots.KEEP, files.size(), files::toString);
        assertEquals(28L, StoreSnapshots.header(files.get(0)).covered().nextSequence());
    }

    private List<String> assertFullReplayWithOneWarning(Path dir, Observed full, long at) {
        List<String> warnings = new ArrayList<>();
        Observed opened = observe(dir, OpenedStore.Opening.snapshots(Progress.silent(), warnings::add), at);
        assertEquals(Optional.empty(), opened.openedFrom());
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("not used") && warnings.get(0).endsWith("replaying the whole log"),
                warnings::toString);
        assertSameText(full.text(), opened.text());
        return warnings;
    }

    /** Equal texts; else the first line that differs, rather than two pages of text. */
    private static void assertSameText(String expected, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            assertEquals(a.get(i), b.get(i), "line " + (i + 1) + " differs");
        }
        assertEquals(a.size(), b.size(), "line count");
    }

    private static List<Step> fixedSteps() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < LOADS.size(); i++) {
            steps.add(new Step(0, i));
            steps.add(new Step(1, i));
        }
        steps.add(new Step(2, 1));
        steps.add(new Step(3, 0));
        return steps;
    }

    /** What a fold shows: the state and counts (as {@code replay} prints them), and the decisions after {@code at}. */
    record Observed(Replay replay, String stateText, String answersText, Optional<Long> openedFrom) {
        String text() {
            return stateText + "\n" + answersText;
        }
    }

    private static Observed observe(Path dir, OpenedStore.Opening opening, long answersFrom) {
        StringBuilder answers = new StringBuilder();
        Replay replay = Replay.listening(answer -> {
            if (answer.recorded().sequence() >= answersFrom) {
                answers.append(answer.recorded()).append(" answers ").append(answer.request().map(request ->
                        request.recorded().sequence() + " redecided " + request.redecide()).orElse("nothing"))
                        .append('\n');
            }
        });
        OpenedStore store = OpenedStore.reading(dir, replay, recorded -> true, opening);
        return new Observed(replay, describe(replay, Optional.of(dir)), answers.toString(),
                store.openedFrom().map(StoreSnapshots.Covered::nextSequence));
    }

    /** Everything a fold answers: counts, pairings, the last event, local certificates, the engine's state. */
    private static String describe(Replay replay, Optional<Path> dir) {
        StringBuilder out = new StringBuilder();
        out.append("events ").append(replay.events()).append(" requests ").append(replay.requests())
                .append(" decisions ").append(replay.decisions()).append('\n');
        out.append("byVerdict ").append(replay.byVerdict()).append(" byReason ").append(replay.byReason()).append('\n');
        out.append("last ").append(replay.last()).append(" at ").append(replay.lastAppendedAt()).append('\n');
        replay.localCertificates().forEach(local -> out.append("local ").append(local.recorded()).append('\n'));
        for (Replay.Request request : replay.unanswered()) {
            out.append("unanswered ").append(request.recorded()).append(" redecided ").append(request.redecide())
                    .append('\n');
        }
        Engine engine = replay.engine();
        out.append("trusted ").append(engine.trustedCertificates()).append('\n');
        out.append("crls ").append(engine.crls()).append('\n');
        out.append("rejected ").append(engine.rejectedLoads()).append('\n');
        out.append("active ").append(engine.activePolicy()).append('\n');
        if (dir.isPresent()) {
            // Every request of the log, decided again in the final state.
            StoreReading.read(dir.get(), recorded -> {
                if (recorded.event() instanceof ValidationRequested request) {
                    out.append("decide ").append(recorded.sequence()).append(' ').append(decide(engine, request))
                            .append('\n');
                }
            });
        }
        return out.toString();
    }

    private static Decision decide(Engine engine, ValidationRequested request) {
        return engine.decide(request);
    }

    private Path build(Scenario scenario) {
        Path dir = newStore();
        try (FileEventLog log = FileEventLog.openForAppend(dir, clock())) {
            OpenedStore store = OpenedStore.appending(log, Progress.silent()).snapshotEvery(0);
            int n = 0;
            for (Step step : scenario.steps()) {
                n++;
                switch (step.kind()) {
                    case 0 -> store.append(List.of(LOADS.get(step.which() % LOADS.size())));
                    case 1 -> store.decide(request("d" + n, PEERS.get(step.which() % PEERS.size()), store.state()));
                    case 2 -> store.append(List.of(request("u" + step.which() % 3, PEERS.get(0), store.state())));
                    default -> store.append(List.of(new ValidationDecided("nobody" + n, Verdict.REJECT,
                            Reason.REVOKED)));
                }
            }
        }
        return dir;
    }

    private static ValidationRequested request(String id, TestCert peer, Engine state) {
        String host = peer.subject().startsWith("CN=gw2") ? "gw2.example" : peer.subject().startsWith("CN=gw3")
                ? "gw3.example" : "gw1.example";
        ValidationRequested draft = new ValidationRequested(id, peer.blob(), List.of(SUB.certificate().blob()),
                Optional.of(new IkeIdentity(IkeIdentity.Type.FQDN, host)), TestPki.NOW, ValidationSettings.DEFAULTS,
                Optional.empty(), Optional.empty());
        return state.activePolicy().map(policy -> PolicyDecisions.bind(policy, draft)).orElse(draft);
    }

    private static Path snapshotAt(Path dir, long next) {
        OpenedStore store = OpenedStore.reading(dir, Replay.counting(), recorded -> recorded.sequence() < next,
                Progress.silent());
        try {
            return store.writeSnapshot().orElseThrow().file();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long countEvents(Path dir) {
        return StoreReading.read(dir, recorded -> { });
    }

    private Path newStore() {
        try {
            Path dir = Files.createTempDirectory("certgate-snapshot-");
            directories.add(dir);
            return dir.resolve("store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Clock clock() {
        return Clock.offset(Clock.fixed(TestPki.NOW, ZoneOffset.UTC), Duration.ofSeconds(new SplittableRandom()
                .nextInt(1000)));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bytes} with its trailing CRC-32C recomputed, as a release that wrote it would have. */
    private static byte[] withChecksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }

    private static String revision(String source) {
        CompileResult result = PolicyCompiler.compile("open.yaml", source.getBytes(StandardCharsets.UTF_8));
        return result.policy().orElseThrow(() -> new AssertionError(result.diagnostics())).revision();
    }
}
