package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationRequested;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store written by the first release (format v1, checked in under src/test/resources/golden/v1) reads back
 * to exactly its events in every later release. Never regenerate it: a release that cannot read it is broken.
 */
class GoldenStoreTest {
    /** The head {@code log verify} printed for the golden store when it was written. */
    private static final String GOLDEN_HEAD = "b8cdb39f18b0fe744fe5492bb77fa78c32695ea6e401aecb96e399ba1a8b4519";

    private static Path golden() {
        try {
            return Path.of(GoldenStoreTest.class.getResource("/golden/v1/00000000000000000000.log").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void the_golden_store_reads_back_to_exactly_its_events_and_append_times() {
        List<RecordedEvent> read = new ArrayList<>();
        try (LogReader reader = LogReader.open(golden())) {
            reader.poll(read::add);
        }
        List<Event> expected = GoldenStore.events();
        assertEquals(expected.size(), read.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(new RecordedEvent(i, GoldenStore.appendTime(i), expected.get(i)), read.get(i));
        }
        assertSame(((CaCertificateLoaded) read.get(2).event()).certificate(),
                ((ValidationRequested) read.get(4).event()).chain().get(0), "one Blob instance per content");
    }

    @Test
    void the_golden_store_verifies_to_the_head_it_was_written_with() {
        VerifyReport report = LogVerifier.verify(golden(), Optional.of(GOLDEN_HEAD));
        assertTrue(report.passed(), report.describe());
        assertEquals(GOLDEN_HEAD, report.head());
        assertEquals(11, report.events());
        assertEquals(4, report.blobs());
    }

    /** Delete this test when a release starts writing format v2; the two above stay. */
    @Test
    void this_release_still_writes_format_v1_byte_for_byte(@TempDir Path temp) throws Exception {
        Path dir = temp.resolve("again");
        GoldenStore.main(new String[] {dir.toString()});
        assertArrayEquals(Files.readAllBytes(golden().resolve("00000000000000000000.log")),
                Files.readAllBytes(dir.resolve("00000000000000000000.log")));
    }
}
