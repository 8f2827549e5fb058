package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Result;
import certgate.adapters.store.Replay;
import certgate.adapters.store.StoreReading;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.Verdict;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store the first release wrote ({@code golden/v1}, see its README) must read, verify and re-decide the same
 * in this release and every later one. It is copied before use, so nothing here can change the checked-in bytes,
 * and it is never regenerated.
 */
class GoldenStoreTest {
    static final String HEAD = "67f676ecd87588fc6c4f3e8c89b09efbf7d726880861dce52c39ef38ac1a5faa";

    static final List<ValidationDecided> DECISIONS = List.of(
            new ValidationDecided("d-5", Verdict.ACCEPT, Reason.OK),
            new ValidationDecided("d-7", Verdict.REJECT, Reason.REVOKED),
            new ValidationDecided("d-9", Verdict.REJECT, Reason.IDENTITY_MISMATCH),
            new ValidationDecided("d-11", Verdict.REJECT, Reason.NOT_YET_VALID),
            new ValidationDecided("d-13", Verdict.REJECT, Reason.EXPIRED),
            new ValidationDecided("d-15", Verdict.REJECT, Reason.MALFORMED_CERTIFICATE),
            new ValidationDecided("d-17", Verdict.ACCEPT, Reason.OK),
            new ValidationDecided("d-19", Verdict.REJECT, Reason.NO_TRUSTED_PATH),
            new ValidationDecided("d-21", Verdict.REJECT, Reason.CRL_UNAVAILABLE),
            new ValidationDecided("d-23", Verdict.ACCEPT, Reason.OK),
            new ValidationDecided("d-25", Verdict.ACCEPT, Reason.OK),
            new ValidationDecided("d-27", Verdict.REJECT, Reason.CA_LEVELS_EXCEEDED),
            new ValidationDecided("d-30", Verdict.ACCEPT, Reason.OK));

    @TempDir
    Path dir;
    StoreFixture fixture;

    @BeforeEach
    void copyTheGoldenStore() throws IOException, URISyntaxException {
        URL url = GoldenStoreTest.class.getResource("/golden/v1/store");
        if (url == null) {
            throw new AssertionError("golden/v1/store is missing from the test resources");
        }
        Path golden = Path.of(url.toURI());
        Files.createDirectories(dir.resolve("store"));
        try (Stream<Path> files = Files.list(golden)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve("store").resolve(file.getFileName()));
            }
        }
        fixture = new StoreFixture(dir);
    }

    @Test
    void the_golden_log_verifies_to_the_head_it_was_written_with() {
        Result verify = fixture.run("log", "verify", "--head", HEAD);

        assertEquals(0, verify.status(), verify.toString());
        assertEquals(HEAD, LogCommandTest.head(verify));
        assertTrue(verify.out().contains("43 records (32 events, 11 blobs)"), verify.out());
    }

    @Test
    void the_golden_log_holds_the_expected_decisions() {
        List<ValidationDecided> recorded = new ArrayList<>();
        StoreReading.read(fixture.store(), event -> {
            if (event.event() instanceof ValidationDecided decided) {
                recorded.add(decided);
            }
        });

        assertEquals(DECISIONS, recorded);
    }

    @Test
    void every_golden_decision_re_decides_the_same() {
        List<String> redecided = new ArrayList<>();
        Replay replay = Replay.listening(answer -> {
            var decision = answer.request().orElseThrow().redecide();
            redecided.add(answer.decision().requestId() + " " + decision.verdict() + " " + decision.reason());
        });
        StoreReading.read(fixture.store(), replay);

        assertEquals(DECISIONS.stream().map(d -> d.requestId() + " " + d.verdict() + " " + d.reason()).toList(),
                redecided);
        Result audit = fixture.run("audit");
        assertEquals(0, audit.status(), audit.toString());
        assertTrue(audit.out().contains("audited 13 decisions: 13 re-decided the same, 0 mismatches"), audit.out());
    }

    @Test
    void the_golden_state_replays_with_its_profiles_and_crls() {
        Result replay = fixture.run("replay", "--until-seq", "4");

        assertEquals(0, replay.status(), replay.toString());
        assertTrue(replay.out().contains("trusted CA certificates: 3\n"), replay.out());
        assertTrue(replay.out().contains("profiles partner"), replay.out());
        assertTrue(replay.out().contains("CRLs: 2\n"), replay.out());
        assertTrue(replay.out().contains("freshness judged at 2025-01-01T08:03:00Z"), replay.out());
        Result explain = fixture.run("explain", "d-7");
        assertTrue(explain.out().contains("reject REVOKED"), explain.out());
        assertTrue(explain.out().endsWith("matches recorded decision: yes\n"), explain.out());
    }
}
