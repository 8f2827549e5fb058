package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogDumpTest {
    private static Path golden() throws URISyntaxException {
        return Path.of(LogDumpTest.class.getResource("/golden/v1/00000000000000000000.log").toURI()).getParent();
    }

    @Test
    void dump_lists_blobs_and_events_with_sequence_time_kind_type_version_and_a_one_line_description()
            throws Exception {
        List<DumpedRecord> records = new ArrayList<>();
        assertEquals(15, LogDump.dump(golden(), 0, records::add));
        List<String> lines = records.stream().map(DumpedRecord::line).toList();
        assertEquals("0 2025-06-01T09:00:00Z EVENT PolicyActivated v1 revision=5b1d2c4a0f6e8d7c9b3a2e1f0d4c6b8a7e9f1d3c"
                + "5b7a9e2f4d6c8b0a1e3f5d7c source=68 chars", lines.get(0));
        assertTrue(lines.get(1).startsWith("1 2025-06-01T09:01:00Z BLOB Blob v1 sha256="), lines.get(1));
        assertTrue(lines.get(2).startsWith("1 2025-06-01T09:01:00Z EVENT CaCertificateLoaded v1 profile=corp"
                + " certificate=sha256:"), lines.get(2));
        DumpedRecord decided = records.get(records.size() - 1);
        assertEquals("10 2025-06-01T09:10:00Z EVENT ValidationDecided v1 request=req-3 verdict=reject"
                + " reason=IDENTITY_MISMATCH", decided.line());
        assertEquals(GoldenStore.events().get(10), decided.event().orElseThrow());
        for (DumpedRecord record : records) {
            assertTrue(!record.line().contains("\n"), record.line());
            assertEquals("00000000000000000000.log", record.segment());
            assertEquals(64, record.chain().length());
        }
        assertEquals(LogVerifier.verify(golden()).head(), decided.chain());
    }

    @Test
    void dump_from_a_sequence_starts_with_that_sequence_blobs_included() throws Exception {
        List<DumpedRecord> records = new ArrayList<>();
        LogDump.dump(golden(), 4, records::add);
        assertEquals(4, records.get(0).sequence());
        assertEquals(RecordKind.BLOB, records.get(0).kind());
        assertTrue(records.get(1).description().startsWith("request=req-1 peer=sha256:"), records.get(1).line());
        assertTrue(records.get(1).description().contains("id=fqdn:gw1.example.net gateway=branches"),
                records.get(1).line());
    }
}
