package certgate.eventstore.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.eventstore.Blob;
import certgate.eventstore.CheckpointSigned;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.CrlUnchanged;
import certgate.eventstore.Event;
import certgate.eventstore.EventGens;
import certgate.eventstore.OcspAnswered;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.Verdict;
import certgate.testkit.Bytes;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventCodecProperties {

    /** An event with the blobs it refers to, as the log would have stored them before it. */
    record Sample(Event event, List<Blob> pool) {
    }

    private static final Gen<Sample> SAMPLES = random -> {
        List<Blob> pool = EventGens.blobPool(random, 1 + random.nextInt(3));
        return new Sample(EventGens.events(pool).generate(random), pool);
    };

    private static BlobTable table(List<Blob> blobs) {
        BlobTable table = new BlobTable();
        blobs.forEach(table::put);
        return table;
    }

    private static Event decode(long sequence, EventCodec.Encoded encoded, byte[] payload, List<Blob> blobs) {
        return EventCodec.decoder().decode(sequence, encoded.type().tag(), encoded.version(), payload, 0,
                payload.length, table(blobs));
    }

    @Test
    void every_event_decodes_to_itself() {
        Property.forAll(SAMPLES).tries(500).check(sample -> {
            EventCodec.Encoded encoded = EventCodec.encode(sample.event());
            assertEquals(sample.event(), decode(7, encoded, encoded.payload(), sample.pool()));
        });
    }

    @Test
    void a_decoder_reused_over_many_events_decodes_each_to_itself() {
        Property.forAll(EventGens.eventLists(30)).tries(50).check(events -> {
            EventDecoder decoder = EventCodec.decoder();
            BlobTable blobs = new BlobTable();
            for (Event event : events) {
                EventCodec.Encoded encoded = EventCodec.encode(event);
                encoded.blobs().forEach(blobs::put);
                // The payload sits inside a larger buffer, as in a reader's segment buffer.
                byte[] buffer = new byte[encoded.payload().length + 20];
                System.arraycopy(encoded.payload(), 0, buffer, 11, encoded.payload().length);
                assertEquals(event, decoder.decode(1, encoded.type().tag(), encoded.version(), buffer, 11,
                        encoded.payload().length, blobs));
            }
        });
    }

    @Test
    void the_blobs_of_an_encoded_event_are_those_it_refers_to_and_the_payload_holds_only_their_hashes() {
        Property.forAll(SAMPLES).check(sample -> {
            EventCodec.Encoded encoded = EventCodec.encode(sample.event());
            for (Blob blob : encoded.blobs()) {
                assertTrue(sample.pool().contains(blob));
                if (blob.length() > 64) {
                    assertTrue(Bytes.indexOf(encoded.payload(), blob.bytes()) < 0, "payload holds the blob's bytes");
                }
                assertTrue(Bytes.indexOf(encoded.payload(), blob.sha256()) >= 0, "payload lacks the blob's SHA-256");
            }
        });
    }

    @Test
    void every_permitted_event_type_has_a_tag_and_tags_are_distinct() {
        Set<Class<?>> permitted = Set.of(Event.class.getPermittedSubclasses());
        Set<Class<?>> coded = Arrays.stream(EventType.values()).map(EventType::eventClass)
                .collect(Collectors.toSet());
        assertEquals(permitted, coded);
        assertEquals(EventType.values().length, Arrays.stream(EventType.values()).map(EventType::tag).distinct()
                .count());
        for (EventType type : EventType.values()) {
            assertEquals(type, EventType.ofTag(type.tag()).orElseThrow());
        }
    }

    @Test
    void an_unknown_tag_is_an_error_that_lists_the_known_ones() {
        assertEquals(EventType.CHECKPOINT_SIGNED, EventType.ofTag(11).orElseThrow());
        assertEquals(EventType.CRL_UNCHANGED, EventType.ofTag(13).orElseThrow());
        assertEquals(EventType.OCSP_ANSWERED, EventType.ofTag(15).orElseThrow());
        assertTrue(EventType.ofTag(14).isEmpty() && EventType.ofTag(0).isEmpty() && EventType.ofTag(-1).isEmpty()
                && EventType.ofTag(16).isEmpty());
        assertEquals("1..13, 15", EventType.knownTags());
        byte[] payload = EventCodec.encode(new ValidationDecided("r", Verdict.ACCEPT, Reason.OK)).payload();
        CodecException unknown = assertThrows(CodecException.class, () -> EventCodec.decoder()
                .decode(7, 14, 1, payload, 0, payload.length, new BlobTable()));
        assertTrue(unknown.getMessage().contains("(known tags 1..13, 15)"), unknown.getMessage());
    }

    @Test
    void a_crl_loaded_from_a_file_is_written_as_version_1_byte_for_byte_and_a_fetched_one_as_version_2() {
        Blob crl = Blob.of(new byte[] {1, 2, 3});
        PayloadWriter v1 = new PayloadWriter("CrlLoaded");
        v1.blobRef(crl);
        v1.string("source", "file:a.crl");
        EventCodec.Encoded file = EventCodec.encode(new CrlLoaded(crl, "file:a.crl"));
        assertEquals(1, file.version());
        assertArrayEquals(v1.toByteArray(), file.payload());
        assertEquals(new CrlLoaded(crl, "file:a.crl"), decode(5, file, file.payload(), List.of(crl)));
        CrlLoaded fetched = new CrlLoaded(crl, "http://crl.example.net/a.crl", Optional.of(new CrlLoaded.Fetch(
                Instant.parse("2030-01-01T00:00:00Z"), 200, Optional.of("\"v1\""), Optional.empty())));
        EventCodec.Encoded encoded = EventCodec.encode(fetched);
        assertEquals(2, encoded.version());
        assertEquals(fetched, decode(6, encoded, encoded.payload(), List.of(crl)));
    }

    @Test
    void a_refresh_that_found_the_crl_unchanged_takes_well_under_a_kilobyte() {
        CrlUnchanged unchanged = new CrlUnchanged("http://crl.example.net/a-rather-long/path/to/issuing-ca.crl",
                "CN=Example Issuing CA, OU=Certificate Services, O=Example Corporation, C=US", "ab".repeat(32),
                Instant.parse("2030-01-01T00:00:00Z"), 304, Optional.of("\"5f3a-1c9e2d7b\""),
                Optional.of("Tue, 01 Jan 2030 00:00:00 GMT"));
        EventCodec.Encoded encoded = EventCodec.encode(unchanged);
        assertTrue(encoded.payload().length < 300, encoded.payload().length + " bytes");
        assertTrue(encoded.blobs().isEmpty());
    }

    @Test
    void a_fetch_failure_with_an_unknown_reason_name_is_an_error_naming_the_field() {
        PayloadWriter out = new PayloadWriter("CrlFetchFailed");
        out.string("url", "http://a/");
        out.string("issuer", "CN=CA");
        out.string("reason", "GONE_FISHING");
        out.instant(Instant.EPOCH);
        out.i32(0);
        out.string("detail", "");
        byte[] payload = out.toByteArray();
        CodecException error = assertThrows(CodecException.class, () -> EventCodec.decoder()
                .decode(45, EventType.CRL_FETCH_FAILED.tag(), 1, payload, 0, payload.length, new BlobTable()));
        assertTrue(error.getMessage().contains("sequence 45") && error.getMessage().contains("reason"),
                error.getMessage());
    }

    @Test
    void a_checkpoint_with_an_empty_or_oversized_signature_is_an_error_naming_the_sequence() {
        for (int length : new int[] {0, CheckpointSigned.MAX_SIGNATURE_BYTES + 1}) {
            PayloadWriter out = new PayloadWriter("CheckpointSigned");
            out.i64(3);
            out.raw(new byte[32]);
            out.raw(new byte[32]);
            out.varint(length);
            out.raw(new byte[length]);
            byte[] payload = out.toByteArray();
            CodecException error = assertThrows(CodecException.class, () -> EventCodec.decoder()
                    .decode(44, EventType.CHECKPOINT_SIGNED.tag(), 1, payload, 0, payload.length, new BlobTable()));
            assertTrue(error.getMessage().contains("sequence 44"), error.getMessage());
        }
    }

    @Test
    void an_ocsp_answer_with_oversized_hashes_or_serial_or_an_empty_serial_is_an_error_naming_the_field() {
        record Damage(String field, int nameHash, int keyHash, int serial) {
        }
        for (Damage damage : List.of(new Damage("issuerNameHash", OcspAnswered.MAX_HASH_BYTES + 1, 20, 1),
                new Damage("issuerKeyHash", 20, OcspAnswered.MAX_HASH_BYTES + 1, 1),
                new Damage("serial", 20, 20, OcspAnswered.MAX_SERIAL_BYTES + 1),
                new Damage("serial", 20, 20, 0),
                new Damage("issuerNameHash", 0, 20, 1))) {
            PayloadWriter out = new PayloadWriter("OcspAnswered");
            out.string("hashAlgorithm", "1.3.14.3.2.26");
            for (int length : new int[] {damage.nameHash(), damage.keyHash(), damage.serial()}) {
                out.varint(length);
                out.raw(new byte[length]);
            }
            out.enumName(OcspAnswered.Status.GOOD);
            out.bool(false);
            byte[] payload = out.toByteArray();
            CodecException error = assertThrows(CodecException.class, () -> EventCodec.decoder()
                    .decode(45, EventType.OCSP_ANSWERED.tag(), 1, payload, 0, payload.length, new BlobTable()));
            assertTrue(error.getMessage().contains("sequence 45") && error.getMessage().contains(damage.field()),
                    damage + ": " + error.getMessage());
        }
    }

    @Test
    void an_unknown_type_or_version_is_an_error_naming_the_sequence() {
        byte[] payload = EventCodec.encode(new ValidationDecided("r", Verdict.ACCEPT, Reason.OK)).payload();
        CodecException unknownType = assertThrows(CodecException.class, () -> EventCodec.decoder()
                .decode(42, 99, 1, payload, 0, payload.length, new BlobTable()));
        assertEquals(42, unknownType.sequence());
        assertTrue(unknownType.getMessage().contains("sequence 42") && unknownType.getMessage().contains("99"),
                unknownType.getMessage());
        CodecException unknownVersion = assertThrows(CodecException.class, () -> EventCodec.decoder()
                .decode(43, EventType.VALIDATION_DECIDED.tag(), 2, payload, 0, payload.length, new BlobTable()));
        assertTrue(unknownVersion.getMessage().contains("sequence 43")
                && unknownVersion.getMessage().contains("ValidationDecided version 2"), unknownVersion.getMessage());
    }

    @Test
    void a_reference_to_a_blob_not_stored_is_an_error_naming_the_field() {
        Property.forAll(SAMPLES).check(sample -> {
            EventCodec.Encoded encoded = EventCodec.encode(sample.event());
            if (encoded.blobs().isEmpty()) {
                return;
            }
            CodecException error = assertThrows(CodecException.class,
                    () -> decode(5, encoded, encoded.payload(), List.of()));
            assertTrue(error.getMessage().contains("not stored"), error.getMessage());
        });
    }

    @Test
    void a_cut_or_lengthened_payload_is_a_codec_error() {
        Property.forAll(SAMPLES).tries(200).check(sample -> {
            EventCodec.Encoded encoded = EventCodec.encode(sample.event());
            byte[] payload = encoded.payload();
            for (int cut = 0; cut < payload.length; cut++) {
                byte[] shorter = Arrays.copyOf(payload, cut);
                assertThrows(CodecException.class, () -> decode(3, encoded, shorter, sample.pool()),
                        "payload cut to " + cut + " of " + payload.length + " bytes");
            }
            byte[] longer = Arrays.copyOf(payload, payload.length + 1);
            CodecException error = assertThrows(CodecException.class,
                    () -> decode(3, encoded, longer, sample.pool()));
            assertTrue(error.getMessage().contains("left over"), error.getMessage());
        });
    }

    @Test
    void a_damaged_payload_decodes_or_fails_with_a_codec_error_and_nothing_else() {
        Property.forAll(SAMPLES).tries(300).check(sample -> {
            EventCodec.Encoded encoded = EventCodec.encode(sample.event());
            Property.forAll(Gens.damaged(encoded.payload())).tries(20).check(damaged -> {
                try {
                    decode(9, encoded, damaged, sample.pool());
                } catch (CodecException expected) {
                    assertEquals(9, expected.sequence());
                }
            });
        });
    }

    @Test
    void a_string_that_utf8_cannot_hold_is_refused_naming_the_field() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> EventCodec.encode(new PolicyActivated("rev", "source with a lone \udc00 low surrogate")));
        assertTrue(error.getMessage().contains("PolicyActivated.source"), error.getMessage());
    }
}
