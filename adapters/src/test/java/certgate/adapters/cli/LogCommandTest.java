package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCommandTest {
    private static final Pattern HEAD = Pattern.compile("head ([0-9a-f]{64})");

    @TempDir
    Path dir;
    StoreFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
    }

    static String head(Result verify) {
        Matcher matcher = HEAD.matcher(verify.out());
        if (!matcher.find()) {
            throw new AssertionError("no head in:\n" + verify);
        }
        return matcher.group(1);
    }

    private void truncate(Path segment, long size) throws Exception {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private void flipByte(Path segment, long offset) throws Exception {
        byte[] bytes = Files.readAllBytes(segment);
        bytes[(int) offset] ^= 0x01;
        Files.write(segment, bytes);
    }

    @Test
    void verify_passes_and_prints_the_head_that_load_printed() {
        fixture.loadAll();
        Result load = fixture.run("load", "ca", "root.pem");

        Result result = fixture.run("log", "verify");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("log verified: "), result.out());
        assertTrue(result.out().contains("4 events"), result.out());
        assertEquals(fixture.run("log", "verify").out(), result.out(), "verify is read-only and repeatable");
        assertTrue(load.out().contains("nothing appended"), load.out());
    }

    @Test
    void verify_names_the_first_bad_record_after_one_byte_is_changed() throws Exception {
        fixture.loadAll();
        Path segment = fixture.segments().get(0);
        flipByte(segment, Files.size(segment) / 2);

        Result result = fixture.run("log", "verify");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.out().contains("log verification FAILED"), result.out());
        assertTrue(result.err().contains("first bad record: segment " + segment.getFileName() + " offset "),
                result.err());
    }

    @Test
    void verify_as_json_gives_the_counts_and_the_head_or_the_first_bad_record() throws Exception {
        fixture.loadAll();
        JsonNode good = DecisionFormat.JSON.readTree(fixture.run("log", "verify", "--format", "json").out());
        assertTrue(good.get("passed").asBoolean(), good.toString());
        assertEquals(4, good.get("events").asLong());
        assertEquals(64, good.get("head").asText().length());
        assertFalse(good.has("problem"), good.toString());

        Path segment = fixture.segments().get(0);
        flipByte(segment, Files.size(segment) / 2);
        Result result = fixture.run("log", "verify", "--format", "json");

        assertEquals(1, result.status(), result.toString());
        JsonNode bad = DecisionFormat.JSON.readTree(result.out());
        assertFalse(bad.get("passed").asBoolean(), bad.toString());
        assertEquals(segment.getFileName().toString(), bad.get("problem").get("segment").asText());
    }

    @Test
    void verify_with_an_earlier_head_detects_records_dropped_from_the_end() throws Exception {
        fixture.run("load", "ca", "root.pem", "issuing.pem");
        Path segment = fixture.segments().get(0);
        long sizeThen = Files.size(segment);
        String headThen = head(fixture.run("log", "verify"));
        fixture.run("load", "crl", "root.crl", "issuing.crl");
        String headNow = head(fixture.run("log", "verify"));

        assertEquals(0, fixture.run("log", "verify", "--head", headThen).status(), "the earlier head is in the log");
        truncate(segment, sizeThen);
        Result plain = fixture.run("log", "verify");

        assertEquals(1, plain.status(), "the writer checkpoint knows the records were acknowledged");
        assertTrue(plain.err().contains("LOST_ACKNOWLEDGED") && plain.err().contains("(sequence 2)"), plain.err());

        // A store from before the checkpoint: a cut at a record boundary leaves a shorter, valid log; only a
        // head kept elsewhere shows what was dropped.
        Files.delete(fixture.store().resolve("CHECKPOINT"));
        assertEquals(0, fixture.run("log", "verify").status());
        Result withHead = fixture.run("log", "verify", "--head", headNow);
        assertEquals(1, withHead.status(), withHead.toString());
        assertTrue(withHead.err().contains("HEAD_NOT_FOUND"), withHead.err());
    }

    @Test
    void a_torn_final_record_is_reported_and_passes() throws Exception {
        fixture.loadAll();
        Path segment = fixture.segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        // What a crash leaves: the start of a record that was being written and never acknowledged.
        Files.write(segment, Arrays.copyOfRange(bytes, 52, 52 + 30), StandardOpenOption.APPEND);

        Result result = fixture.run("log", "verify");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("torn tail in segment"), result.out());
    }

    @Test
    void a_damaged_acknowledged_final_record_fails_verify_and_keeps_writers_out_until_repaired() throws Exception {
        fixture.loadAll();
        Path segment = fixture.segments().get(0);
        long size = Files.size(segment);
        flipByte(segment, size - 40);

        Result verify = fixture.run("log", "verify");
        assertEquals(1, verify.status(), verify.toString());
        assertTrue(verify.err().contains("(sequence 3): LOST_ACKNOWLEDGED"), verify.err());
        Result validate = fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");
        assertEquals(ExitStatus.STORE_DAMAGED, validate.status(), validate.toString());
        assertTrue(validate.err().contains("'certgate log repair'"), validate.err());
        assertEquals(size, Files.size(segment), "the damaged decision is not truncated");

        Result dryRun = fixture.run("log", "repair", "--dry-run");
        assertEquals(0, dryRun.status(), dryRun.toString());
        assertTrue(dryRun.out().contains("dry run") && dryRun.out().contains("sequences lost: 3..3"), dryRun.out());
        assertEquals(size, Files.size(segment), "a dry run changes nothing");

        Result repair = fixture.run("log", "repair");
        assertEquals(0, repair.status(), repair.toString());
        assertTrue(repair.out().contains("LogRepaired recorded at sequence 4"), repair.out());
        try (Stream<Path> files = Files.list(fixture.store())) {
            Path aside = files.filter(p -> p.getFileName().toString().startsWith("damaged-")).findFirst()
                    .orElseThrow();
            assertEquals(size, Files.size(aside.resolve(segment.getFileName())), "moved aside, not deleted");
        }
        assertEquals(0, fixture.run("log", "verify").status());
        Result dump = fixture.run("log", "dump", "--from-seq", "4");
        assertTrue(dump.out().contains("EVENT LogRepaired v1"), dump.out());
        Result again = fixture.run("log", "repair");
        assertEquals(ExitStatus.USAGE, again.status(), again.toString());
        assertTrue(again.err().contains("nothing to repair"), again.err());
    }

    @Test
    void the_head_of_an_empty_log_proves_nothing_and_verify_says_so() {
        fixture.loadAll();

        Result result = fixture.run("log", "verify", "--head", "0".repeat(64));

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.err().contains("warning: --head " + "0".repeat(64) + " is the head of an empty log"),
                result.err());
        assertTrue(!result.out().contains("earlier head"), result.out());
    }

    @Test
    void dump_prints_one_line_per_record_blobs_included() {
        fixture.loadAll();

        Result result = fixture.run("log", "dump");

        assertEquals(0, result.status(), result.toString());
        String[] lines = result.out().split("\n");
        assertEquals(8, lines.length, result.out());
        assertTrue(lines[0].matches("0 \\S+ BLOB Blob v1 sha256=[0-9a-f]{64} \\d+ bytes"), lines[0]);
        assertTrue(lines[1].matches("0 \\S+ EVENT CaCertificateLoaded v1 profile=default certificate=.*"), lines[1]);
        assertTrue(lines[7].contains("CrlLoaded") && lines[7].contains("source=file:issuing.crl"), lines[7]);
    }

    @Test
    void dump_as_json_gives_the_fields_of_each_event() throws Exception {
        fixture.loadAll();
        fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01", "--id", "fqdn:gw1.example.net");

        Result result = fixture.run("log", "dump", "--from-seq", "4", "--format", "json");

        assertEquals(0, result.status(), result.toString());
        String[] lines = result.out().split("\n");
        JsonNode request = DecisionFormat.JSON.readTree(lines[lines.length - 2]);
        JsonNode decision = DecisionFormat.JSON.readTree(lines[lines.length - 1]);
        assertEquals(4, request.get("sequence").asLong());
        assertEquals("d-4", request.get("event").get("requestId").asText());
        assertEquals("fqdn:gw1.example.net", request.get("event").get("id").asText());
        assertEquals("crl", request.get("event").get("settings").get("revocationCheck").asText());
        assertEquals(64, request.get("event").get("peer").get("sha256").asText().length());
        assertEquals("accept", decision.get("event").get("verdict").asText());
        assertEquals(64, decision.get("chain").asText().length());
        assertTrue(lines[0].contains("\"kind\":\"blob\""), "the peer certificate's blob comes first: " + lines[0]);
    }

    @Test
    void dump_stops_at_damage_with_status_1_naming_the_record() throws Exception {
        fixture.loadAll();
        Path segment = fixture.segments().get(0);
        flipByte(segment, 200);

        Result result = fixture.run("log", "dump");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.err().contains("dump stopped at damage: first bad record: segment "), result.err());
    }

    @Test
    void usage_errors_say_what_log_takes() {
        assertTrue(fixture.run("log").err().contains("'log verify', 'log dump' or 'log repair'"));
        assertTrue(fixture.run("log", "dump", "--dry-run").err().contains("does not go with"));
        assertTrue(fixture.run("log", "repair", "--help").out().contains("certgate log repair [--dry-run]"));
        assertTrue(fixture.run("log", "verfy").err().contains("did you mean"), fixture.run("log", "verfy").err());
        assertTrue(fixture.run("log", "verify", "--head", "abc").err().contains("64 hex digits"));
        assertTrue(fixture.run("log", "dump", "--format", "xml").err().contains("--format 'xml'"));
        assertTrue(fixture.run("log", "verify", "--from-seq", "3").err().contains("does not go with"));
        assertEquals(2, fixture.run("log", "verify").status(), "no store yet");
    }
}
