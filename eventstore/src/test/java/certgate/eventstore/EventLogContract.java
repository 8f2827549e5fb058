package certgate.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.testkit.Property;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link EventLog} promises; each implementation's test class implements this interface. */
public interface EventLogContract {
    Instant T0 = Instant.parse("2025-03-01T12:00:00.123456789Z");

    /** A new, empty log appending at the time {@code clock} tells. */
    EventLog newLog(Clock clock);

    private static List<RecordedEvent> readAll(EventLog log, long from) {
        List<RecordedEvent> out = new ArrayList<>();
        log.read(from, out::add);
        return out;
    }

    private static Blob blob(String text) {
        return Blob.of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ValidationDecided decided(String id) {
        return new ValidationDecided(id, Verdict.ACCEPT, Reason.OK);
    }

    @Test
    default void an_empty_log_reads_nothing_and_its_next_sequence_is_zero() {
        try (EventLog log = newLog(Clock.fixed(T0, ZoneOffset.UTC))) {
            assertEquals(0, log.nextSequence());
            assertEquals(List.of(), readAll(log, 0));
        }
    }

    @Test
    default void appended_events_read_back_in_order_numbered_from_zero() {
        try (EventLog log = newLog(Clock.fixed(T0, ZoneOffset.UTC))) {
            assertEquals(0, log.append(decided("a")));
            assertEquals(1, log.append(decided("b")));
            assertEquals(2, log.append(decided("c")));
            List<RecordedEvent> read = readAll(log, 0);
            assertEquals(List.of(new RecordedEvent(0, T0, decided("a")), new RecordedEvent(1, T0, decided("b")),
                    new RecordedEvent(2, T0, decided("c"))), read);
            assertEquals(3, log.nextSequence());
        }
    }

    @Test
    default void a_batch_gets_contiguous_sequences_in_batch_order() {
        try (EventLog log = newLog(Clock.fixed(T0, ZoneOffset.UTC))) {
            log.append(decided("first"));
            assertEquals(List.of(1L, 2L, 3L), log.append(List.of(decided("x"), decided("y"), decided("z"))));
            assertEquals(List.of("first", "x", "y", "z"), readAll(log, 0).stream()
                    .map(r -> ((ValidationDecided) r.event()).requestId()).toList());
        }
    }

    @Test
    default void an_empty_batch_appends_nothing() {
        try (EventLog log = newLog(Clock.fixed(T0, ZoneOffset.UTC))) {
            assertEquals(List.of(), log.append(List.of()));
            assertEquals(0, log.nextSequence());
        }
    }

    @Test
    default void reading_from_a_sequence_starts_there_and_past_the_end_reads_nothing() {
        try (EventLog log = newLog(Clock.fixed(T0, ZoneOffset.UTC))) {
            for (int i = 0; i < 10; i++) {
                log.append(decided("e" + i));
            }
            assertEquals(List.of(7L, 8L, 9L), readAll(log, 7).stream().map(RecordedEvent::sequence).toList());
            assertEquals(List.of(), readAll(log, 10));
            assertEquals(List.of(), readAll(log, 1_000));
        }
    }

    @Test
    default void each_append_is_stamped_with_the_clock_time() {
        Instant[] now = {T0};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        try (EventLog log = newLog(clock)) {
            log.append(decided("a"));
            now[0] = T0.plusSeconds(90);
            log.append(List.of(decided("b"), decided("c")));
            assertEquals(List.of(T0, T0.plusSeconds(90), T0.plusSeconds(90)),
                    readAll(log, 0).stream().map(RecordedEvent::appendedAt).toList());
        }
    }

    @Test
    default void blobs_read_back_with_the_same_content_however_often_they_are_referred_to() {
        Blob ca = blob("a CA certificate");
        Blob peer = blob("a peer certificate");
        try (EventLog log = newLog(Clock.fixed(T0, ZoneOffset.UTC))) {
            log.append(new CaCertificateLoaded("default", ca));
            ValidationRequested request = new ValidationRequested("r1", peer, List.of(ca, ca), Optional.empty(), T0,
                    ValidationSettings.DEFAULTS, Optional.empty(), Optional.empty());
            log.append(List.of(request, new CaCertificateLoaded("other", blob("a CA certificate"))));
            List<RecordedEvent> read = readAll(log, 0);
            assertEquals(ca, ((CaCertificateLoaded) read.get(0).event()).certificate());
            ValidationRequested back = (ValidationRequested) read.get(1).event();
            assertEquals(request, back);
            assertEquals(List.of(ca, ca), back.chain());
            assertEquals(ca, ((CaCertificateLoaded) read.get(2).event()).certificate());
        }
    }

    @Test
    default void any_batches_of_any_events_read_back_equal_and_in_order() {
        Property.forAll(EventGens.batches(5, 8)).tries(30).check(batches -> {
            try (EventLog log = newLog(Clock.fixed(T0, ZoneOffset.UTC))) {
                List<Event> all = new ArrayList<>();
                for (List<Event> batch : batches) {
                    List<Long> sequences = log.append(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        assertEquals(all.size() + i, sequences.get(i));
                    }
                    all.addAll(batch);
                }
                List<RecordedEvent> read = readAll(log, 0);
                assertEquals(all, read.stream().map(RecordedEvent::event).toList());
                for (int i = 0; i < read.size(); i++) {
                    assertEquals(i, read.get(i).sequence());
                }
                assertEquals(all.size(), log.nextSequence());
                assertTrue(readAll(log, all.size()).isEmpty());
            }
        });
    }
}
