package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.adapters.store.StoreSnapshots;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certgate snapshot} writes the state to {@code DIR/snapshots/} and says what it wrote; the commands after it
 * open from there and print exactly what they print from the whole log; a damaged one costs a full replay and one
 * warning line, never another answer.
 */
class SnapshotCommandTest {
    @TempDir
    Path dir;
    StoreFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
    }

    private void history() {
        assertEquals(0, fixture.run("load", "ca", "root.pem", "issuing.pem").status());
        assertEquals(0, fixture.run("load", "crl", "root.crl", "issuing.crl").status());
        assertEquals(0, fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01").status());
        assertEquals(1, fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01").status());
    }

    @Test
    void writes_a_snapshot_of_the_state_after_the_last_event_and_says_where_and_how_big() throws IOException {
        history();

        Result result = fixture.run("snapshot");

        assertEquals(0, result.status(), result.toString());
        assertEquals("", result.err());
        List<Path> files = snapshots();
        assertEquals(1, files.size());
        assertEquals("snapshot-00000000000000000008.cgsnap", files.get(0).getFileName().toString());
        assertTrue(result.out().matches("snapshot \\S+snapshot-00000000000000000008\\.cgsnap: the state after sequence"
                + " 7 \\(chain [0-9a-f]{16}\\.\\.\\.\\), " + Files.size(files.get(0)) + " bytes, written in \\d+ ms\n"),
                result.out());
    }

    @Test
    void json_names_the_file_the_sequence_the_chain_value_the_size_and_the_time() throws IOException {
        history();
        String head = new ObjectMapper().readTree(fixture.run("log", "verify", "--format", "json").out())
                .get("head").asText();

        Result result = fixture.run("snapshot", "--format", "json");

        assertEquals(0, result.status(), result.toString());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertEquals(7, json.get("sequence").asLong());
        assertEquals(8, json.get("nextSequence").asLong());
        assertEquals(head, json.get("chain").asText(), "the chain value log verify prints as the head");
        assertEquals(Files.size(snapshots().get(0)), json.get("bytes").asLong());
        assertTrue(json.get("millis").asLong() >= 0);
        assertTrue(json.get("openedFromSequence").isNull());
    }

    @Test
    void the_commands_after_it_print_exactly_what_the_whole_log_gives() throws IOException {
        history();
        String replayWhole = fixture.run("replay").out();
        String explainWhole = fixture.run("explain", "d-6").out();
        String jsonWhole = fixture.run("replay", "--format", "json").out();

        assertEquals(0, fixture.run("snapshot").status());
        Result replay = fixture.run("replay");
        Result explain = fixture.run("explain", "d-6");

        assertEquals(replayWhole, replay.out());
        assertEquals("", replay.err());
        assertEquals(explainWhole, explain.out());
        assertEquals(jsonWhole, fixture.run("replay", "--format", "json").out());
        // And after more events, from the snapshot and the tail after it.
        assertEquals(0, fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01").status());
        String afterTail = fixture.run("replay").out();
        Result explainAfter = fixture.run("explain", "d-8");
        assertEquals(0, explainAfter.status(), explainAfter.toString());
        assertEquals("", explainAfter.err());
        Result second = fixture.run("snapshot");
        assertTrue(second.out().contains("(read from the snapshot at sequence 7 and the 2 events after it)"),
                second.out());
        assertEquals(afterTail, fixture.run("replay").out());
        deleteSnapshots();
        assertEquals(afterTail, fixture.run("replay").out());
        assertEquals(explainAfter.out(), fixture.run("explain", "d-8").out());
    }

    @Test
    void replay_until_a_sequence_before_the_snapshot_reads_the_log_not_the_snapshot() {
        history();
        String before = fixture.run("replay", "--until-seq", "3").out();
        fixture.run("snapshot");
        assertEquals(before, fixture.run("replay", "--until-seq", "3").out());
    }

    @Test
    void a_damaged_snapshot_is_not_used_the_whole_log_is_read_and_one_warning_says_so() throws IOException {
        history();
        String whole = fixture.run("replay").out();
        fixture.run("snapshot");
        Path file = snapshots().get(0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);

        Result replay = fixture.run("replay");
        Result validate = fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");

        assertEquals(whole, replay.out());
        List<String> warnings = replay.err().lines().toList();
        assertEquals(1, warnings.size(), replay.err());
        assertTrue(warnings.get(0).startsWith("certgate replay: warning: snapshot snapshots/"
                + file.getFileName() + " not used: its checksum"), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("damaged; replaying the whole log"), warnings.get(0));
        assertEquals(0, validate.status(), validate.toString());
        assertEquals(1, validate.err().lines().filter(line -> line.contains("warning: snapshot")).count(),
                validate.err());
    }

    @Test
    void log_verify_and_audit_never_read_a_snapshot() throws IOException {
        history();
        fixture.run("snapshot");
        Path file = snapshots().get(0);
        Files.write(file, new byte[] {1, 2, 3});

        Result verify = fixture.run("log", "verify");
        Result audit = fixture.run("audit");

        assertEquals(0, verify.status(), verify.toString());
        assertEquals(0, audit.status(), audit.toString());
        assertFalse(verify.err().contains("snapshot"), verify.err());
        assertFalse(audit.err().contains("snapshot"), audit.err());
    }

    @Test
    void an_empty_store_has_nothing_to_snapshot() throws IOException {
        Files.createDirectories(fixture.store());

        Result result = fixture.run("snapshot");

        assertEquals(0, result.status(), result.toString());
        assertEquals("", result.out());
        assertTrue(result.err().contains("holds no event yet: nothing to write"), result.err());
    }

    @Test
    void no_store_there_is_a_usage_error_and_help_explains_the_cache() {
        Result missing = fixture.run("snapshot", "--store", "nowhere");
        assertEquals(2, missing.status(), missing.toString());

        Result help = fixture.run("snapshot", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("Usage: certgate snapshot [--format text|json] [--store DIR]"), help.out());
        assertTrue(help.out().contains("cache"), help.out());
    }

    private List<Path> snapshots() throws IOException {
        try (Stream<Path> files = Files.list(fixture.store().resolve(StoreSnapshots.DIRECTORY))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".cgsnap")).sorted().toList();
        }
    }

    private void deleteSnapshots() throws IOException {
        for (Path file : snapshots()) {
            Files.delete(file);
        }
    }
}
