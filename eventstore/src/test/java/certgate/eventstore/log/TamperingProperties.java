package certgate.eventstore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.Event;
import certgate.eventstore.EventGens;
import certgate.eventstore.RecordedEvent;
import certgate.testkit.Gen;
import certgate.testkit.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever is done to the bytes of a store, {@code log verify} notices and names the first record affected;
 * dropping records from the end is noticed with an earlier head; a torn final record is a crash's trace.
 */
class TamperingProperties {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);
    private final AtomicInteger dirs = new AtomicInteger();

    @TempDir
    Path temp;

    /** A store of a few segments, built from generated batches, and a random source for the tampering. */
    record Case(List<List<Event>> batches, long seed) {
    }

    private static final Gen<Case> CASES = random -> new Case(EventGens.batches(12, 6).generate(random),
            random.nextLong());
    /** Building a store costs a few forces; each one built is tampered with this many times. */
    private static final int TAMPERINGS_PER_STORE = 6;

    private void eachTampering(Case c, java.util.function.BiConsumer<StoreImage, SplittableRandom> tamper) {
        StoreImage image = build(c);
        SplittableRandom random = new SplittableRandom(c.seed());
        for (int i = 0; i < TAMPERINGS_PER_STORE; i++) {
            tamper.accept(image, random.split());
        }
    }

    private Path fresh() {
        return temp.resolve("d" + dirs.incrementAndGet());
    }

    private StoreImage build(Case c) {
        Path dir = fresh();
        try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK, 4096)) {
            c.batches().forEach(log::append);
        }
        StoreImage image = StoreImage.read(dir);
        VerifyReport clean = LogVerifier.verify(dir);
        assertTrue(clean.passed(), clean.describe());
        assertEquals(image.records.size(), clean.records());
        return image;
    }

    private static void assertNames(VerifyReport report, StoreImage.Rec rec) {
        assertFalse(report.passed(), "tampering went unnoticed: " + report.describe());
        LogProblem problem = report.problem().orElseThrow();
        assertEquals(rec.segmentName(), problem.segment(), report.describe());
        assertEquals(rec.offset(), problem.offset(), report.describe());
        assertEquals(rec.sequence(), problem.sequence(), report.describe());
    }

    @Test
    void flipping_any_bit_is_detected_at_the_record_that_holds_it() {
        Property.forAll(CASES).tries(30).check(c -> eachTampering(c, (image, random) -> {
            StoreImage tampered = image.copy();
            int segment = random.nextInt(tampered.segments.size());
            byte[] bytes = tampered.segments.get(segment);
            int at = random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
            VerifyReport report = LogVerifier.verify(tampered.writeTo(fresh()));
            if (at < Segments.HEADER_BYTES) {
                assertFalse(report.passed(), report.describe());
                LogProblem problem = report.problem().orElseThrow();
                assertEquals(LogProblem.Kind.SEGMENT_HEADER, problem.kind(), report.describe());
                assertEquals(image.names.get(segment), problem.segment());
                assertEquals(0, problem.offset());
                return;
            }
            StoreImage.Rec hit = image.recordsOf(segment).stream()
                    .filter(r -> r.offset() <= at && at < r.end()).findFirst().orElseThrow();
            assertNames(report, hit);
        }));
    }

    @Test
    void cutting_records_out_of_the_middle_is_detected_at_the_first_record_cut() {
        Property.forAll(CASES).tries(20).check(c -> eachTampering(c, (image, random) -> {
            int segment = random.nextInt(image.segments.size());
            List<StoreImage.Rec> records = image.recordsOf(segment);
            if (records.size() < 2) {
                return;
            }
            int first = random.nextInt(records.size() - 1);
            int afterLast = first + 1 + random.nextInt(records.size() - 1 - first);
            StoreImage tampered = image.copy();
            byte[] bytes = tampered.segments.get(segment);
            int from = (int) records.get(first).offset();
            int to = (int) records.get(afterLast).offset();
            byte[] cut = new byte[bytes.length - (to - from)];
            System.arraycopy(bytes, 0, cut, 0, from);
            System.arraycopy(bytes, to, cut, from, bytes.length - to);
            tampered.segments.set(segment, cut);
            assertNames(LogVerifier.verify(tampered.writeTo(fresh())), records.get(first));
        }));
    }

    @Test
    void swapping_two_records_is_detected_at_the_first_of_them() {
        Property.forAll(CASES).tries(20).check(c -> eachTampering(c, (image, random) -> {
            int segment = random.nextInt(image.segments.size());
            List<StoreImage.Rec> records = image.recordsOf(segment);
            if (records.size() < 2) {
                return;
            }
            int i = random.nextInt(records.size() - 1);
            int j = i + 1 + random.nextInt(records.size() - 1 - i);
            StoreImage.Rec a = records.get(i);
            StoreImage.Rec b = records.get(j);
            byte[] bytes = image.segments.get(segment);
            byte[] swapped = new byte[bytes.length];
            int p = 0;
            System.arraycopy(bytes, 0, swapped, p, (int) a.offset());
            p += (int) a.offset();
            System.arraycopy(bytes, (int) b.offset(), swapped, p, b.length());
            p += b.length();
            System.arraycopy(bytes, (int) a.end(), swapped, p, (int) (b.offset() - a.end()));
            p += (int) (b.offset() - a.end());
            System.arraycopy(bytes, (int) a.offset(), swapped, p, a.length());
            p += a.length();
            System.arraycopy(bytes, (int) b.end(), swapped, p, bytes.length - (int) b.end());
            StoreImage tampered = image.copy();
            tampered.segments.set(segment, swapped);
            assertNames(LogVerifier.verify(tampered.writeTo(fresh())), a);
        }));
    }

    @Test
    void editing_a_payload_and_fixing_its_crc_breaks_the_chain_at_that_record() {
        Property.forAll(CASES).tries(20).check(c -> eachTampering(c, (image, random) -> {
            List<StoreImage.Rec> editable = image.records.stream().filter(r -> r.payloadLength() > 0).toList();
            StoreImage.Rec rec = editable.get(random.nextInt(editable.size()));
            StoreImage tampered = image.copy();
            byte[] bytes = tampered.segments.get(rec.segment());
            int at = rec.payloadStart() + random.nextInt(rec.payloadLength());
            bytes[at] = (byte) (bytes[at] + 1 + random.nextInt(255));
            tampered.fixCrc(rec);
            VerifyReport report = LogVerifier.verify(tampered.writeTo(fresh()));
            assertNames(report, rec);
            assertEquals(LogProblem.Kind.CHAIN, report.problem().orElseThrow().kind(), report.describe());
        }));
    }

    @Test
    void dropping_records_from_the_end_is_detected_with_an_earlier_head_and_only_with_it() {
        Property.forAll(CASES).tries(20).check(c -> eachTampering(c, (image, random) -> {
            int n = image.records.size();
            int cutAt = random.nextInt(n);
            int headOf = cutAt + random.nextInt(n - cutAt);
            String head = HexFormat.of().formatHex(image.records.get(headOf).chain());
            String kept = cutAt == 0 ? "0".repeat(64) : HexFormat.of().formatHex(image.records.get(cutAt - 1).chain());

            Path original = image.writeTo(fresh());
            VerifyReport before = LogVerifier.verify(original, Optional.of(head));
            assertTrue(before.passed(), before.describe());
            assertEquals(headOf + 1, before.earlierHead().orElseThrow().records());

            StoreImage.Rec cut = image.records.get(cutAt);
            StoreImage tampered = image.copy();
            byte[] segment = tampered.segments.get(cut.segment());
            tampered.segments.set(cut.segment(), Arrays.copyOf(segment, (int) cut.offset()));
            while (tampered.segments.size() > cut.segment() + 1) {
                tampered.names.remove(tampered.names.size() - 1);
                tampered.segments.remove(tampered.segments.size() - 1);
            }
            Path dropped = tampered.writeTo(fresh());

            VerifyReport plain = LogVerifier.verify(dropped);
            assertTrue(plain.passed(), "a shorter log is still a valid log: " + plain.describe());
            assertEquals(kept, plain.head());
            VerifyReport withHead = LogVerifier.verify(dropped, Optional.of(head));
            assertFalse(withHead.passed(), withHead.describe());
            assertEquals(LogProblem.Kind.HEAD_NOT_FOUND, withHead.problem().orElseThrow().kind());
            assertTrue(LogVerifier.verify(dropped, Optional.of(kept)).passed());
        }));
    }

    @Test
    void a_torn_final_record_passes_verify_as_reported_and_the_next_writer_truncates_it() {
        Property.forAll(CASES).tries(20).check(c -> eachTampering(c, (image, random) -> {
            StoreImage.Rec last = image.records.get(image.records.size() - 1);
            StoreImage torn = image.copy();
            byte[] segment = torn.segments.get(last.segment());
            int keep = (int) last.offset() + 1 + random.nextInt(last.length() - 1);
            torn.segments.set(last.segment(), Arrays.copyOf(segment, keep));
            Path dir = torn.writeTo(fresh());

            VerifyReport report = LogVerifier.verify(dir);
            assertTrue(report.passed(), report.describe());
            TornTail tail = report.tornTail().orElseThrow();
            assertEquals(last.segmentName(), tail.segment());
            assertEquals(last.offset(), tail.offset());
            assertEquals(keep - last.offset(), tail.bytes());
            assertEquals(image.records.size() - 1, report.records());

            long events = image.records.stream().filter(r -> r.kind() == Frame.KIND_EVENT).count();
            long kept = last.kind() == Frame.KIND_EVENT ? events - 1 : events;
            try (FileEventLog log = FileEventLog.openForAppend(dir, CLOCK, 4096)) {
                assertEquals(tail, log.recovered().orElseThrow());
                assertEquals(kept, log.nextSequence());
            }
            VerifyReport after = LogVerifier.verify(dir);
            assertTrue(after.passed() && after.tornTail().isEmpty(), after.describe());
            try {
                assertEquals(last.offset(), Files.size(dir.resolve(last.segmentName())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<RecordedEvent> read = FileEventLogTest.readAll(dir);
            assertEquals(kept, read.size());
        }));
    }
}
