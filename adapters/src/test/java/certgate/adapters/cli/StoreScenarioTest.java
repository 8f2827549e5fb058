package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.eventstore.log.FileEventLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store commands together, as an operator and then an auditor use them. */
class StoreScenarioTest {
    @TempDir
    Path dir;
    StoreFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
    }

    /** Loads, then six validations with a mix of outcomes; returns the decision ids. */
    private List<String> operate() {
        fixture.loadAll();
        List<List<String>> requests = List.of(
                List.of("--peer", "gw1.pem", "--id", "fqdn:gw1.example.net"),
                List.of("--peer", "gw2.pem", "--id", "fqdn:gw2.example.net"),
                List.of("--peer", "gw1.pem", "--id", "fqdn:gw2.example.net"),
                List.of("--peer", "gw2.pem", "--revocation-check", "disable"),
                List.of("--peer", "gw1.pem", "--at", "2019-06-01"),
                List.of("--peer", "gw1.pem", "--chain", "issuing.pem", "--path-validation", "full"));
        List<String> ids = new ArrayList<>();
        for (List<String> request : requests) {
            fixture.clock.advance(Duration.ofMinutes(1));
            List<String> argv = new ArrayList<>(List.of("validate"));
            argv.addAll(request);
            if (!request.contains("--at")) {
                argv.addAll(List.of("--at", "2025-01-01T00:00:00Z"));
            }
            Result result = fixture.run(argv.toArray(new String[0]));
            assertTrue(result.status() == 0 || result.status() == 1, result.toString());
            ids.add(result.out().split(" ")[1]);
        }
        return ids;
    }

    @Test
    void load_validate_replay_explain_audit_then_tampering_is_caught() throws Exception {
        List<String> ids = operate();
        assertEquals(List.of("d-4", "d-6", "d-8", "d-10", "d-12", "d-14"), ids);

        Result replay = fixture.run("replay");
        assertTrue(replay.out().contains("decisions: 6 (accept 3, reject 3)"), replay.out());
        assertTrue(replay.out().matches("(?s).*  OK +3\\n  NOT_YET_VALID +1\\n  IDENTITY_MISMATCH +1\\n"
                + "  REVOKED +1\\n.*"), replay.out());
        for (String id : ids) {
            Result explain = fixture.run("explain", id);
            assertEquals(0, explain.status(), explain.toString());
            assertTrue(explain.out().endsWith("matches recorded decision: yes\n"), explain.out());
        }
        Result audit = fixture.run("audit");
        assertEquals(0, audit.status(), audit.toString());
        assertTrue(audit.out().contains("audited 6 decisions: 6 re-decided the same, 0 mismatches"), audit.out());
        String head = LogCommandTest.head(fixture.run("log", "verify"));

        Path segment = fixture.segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length * 2 / 3] ^= 0x20;
        Files.write(segment, bytes);

        Result verify = fixture.run("log", "verify");
        assertEquals(1, verify.status(), verify.toString());
        assertTrue(verify.err().contains("first bad record: segment 00000000000000000000.log offset "),
                verify.err());
        assertEquals(1, fixture.run("log", "verify", "--head", head).status());
        Result auditDamaged = fixture.run("audit");
        assertEquals(ExitStatus.STORE_DAMAGED, auditDamaged.status(), auditDamaged.toString());
        assertTrue(auditDamaged.err().contains("segment 00000000000000000000.log offset"), auditDamaged.err());
        Result writer = fixture.run("load", "ca", "root.pem");
        assertEquals(ExitStatus.STORE_DAMAGED, writer.status(), writer.toString());
        assertTrue(writer.err().contains("nothing is appended to a damaged store"), writer.err());
    }

    @Test
    void a_store_reopened_by_a_writer_audits_and_explains_exactly_as_before() {
        List<String> ids = operate();
        Result auditBefore = fixture.run("audit");
        Result replayBefore = fixture.run("replay");
        List<String> explainedBefore = ids.stream().map(id -> fixture.run("explain", id).out()).toList();

        try (FileEventLog reopened = FileEventLog.openForAppend(fixture.store(), fixture.clock)) {
            assertEquals(16, reopened.nextSequence());
        }

        assertEquals(auditBefore, fixture.run("audit"));
        assertEquals(replayBefore, fixture.run("replay"));
        assertEquals(explainedBefore, ids.stream().map(id -> fixture.run("explain", id).out()).toList());
    }

    @Test
    void a_writer_truncates_a_torn_tail_says_so_and_the_log_verifies() throws Exception {
        operate();
        Path segment = fixture.segments().get(0);
        // What a crash leaves: the start of a write that was never acknowledged (its first 30 bytes).
        byte[] bytes = Files.readAllBytes(segment);
        Files.write(segment, Arrays.copyOfRange(bytes, 52, 82), StandardOpenOption.APPEND);
        assertTrue(fixture.run("log", "verify").out().contains("torn tail"));

        Result validate = fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");

        assertTrue(validate.err().contains("note: opening " + fixture.store() + " truncated a torn tail"),
                validate.err());
        assertTrue(validate.out().startsWith("decision d-16 "), "every acknowledged event kept: " + validate.out());
        Result verify = fixture.run("log", "verify");
        assertEquals(0, verify.status(), verify.toString());
        assertFalse(verify.out().contains("torn tail"), verify.out());
        assertEquals(0, fixture.run("audit").status());
    }

    @Test
    void a_cut_acknowledged_decision_is_damage_that_no_writer_truncates() throws Exception {
        operate();
        Path segment = fixture.segments().get(0);
        long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 5);
        }

        Result verify = fixture.run("log", "verify");
        Result audit = fixture.run("audit");
        Result validate = fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");

        assertEquals(1, verify.status(), verify.toString());
        assertTrue(verify.err().contains("(sequence 15): LOST_ACKNOWLEDGED"), verify.err());
        assertTrue(audit.status() != 0 && audit.err().contains("(sequence 15)"), audit.toString());
        assertEquals(ExitStatus.STORE_DAMAGED, validate.status(), validate.toString());
        assertEquals(size - 5, Files.size(segment), "nothing truncated");
    }

    @Test
    void the_standard_command_line_offers_the_store_commands() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.standard(fixture.clock).run(List.of("help"), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

        assertEquals(0, status);
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : List.of("load", "validate", "replay", "explain", "audit", "report", "log", "serve")) {
            assertTrue(help.contains("\n  " + command + " "), command + " missing from:\n" + help);
        }
    }
}
