package certgate.eventstore.log;

import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The golden store of format version 1: its events and how it was written. {@code GoldenStoreTest} reads the
 * checked-in copy under src/test/resources/golden/v1 and never regenerates it; this main wrote it, once:
 * {@code java -cp ... certgate.eventstore.log.GoldenStore eventstore/src/test/resources/golden/v1}.
 */
public final class GoldenStore {
    static final Instant FIRST_APPEND = Instant.parse("2025-06-01T09:00:00Z");
    static final Duration STEP = Duration.ofMinutes(1);

    static final Blob ROOT = blob("golden root CA certificate (stand-in bytes, not DER)");
    static final Blob ISSUING = blob("golden issuing CA certificate (stand-in bytes, not DER)");
    static final Blob PEER = blob("golden peer certificate gw1.example.net (stand-in bytes, not DER)");
    static final Blob CRL = blob("golden CRL of the issuing CA (stand-in bytes, not DER)");

    private GoldenStore() {
    }

    /** The events, one append each, in this order. */
    static List<Event> events() {
        String policy = "version: 1\npki:\n  ca-profiles:\n    - name: corp\nike:\n  gateways: []\n";
        String revision = "5b1d2c4a0f6e8d7c9b3a2e1f0d4c6b8a7e9f1d3c5b7a9e2f4d6c8b0a1e3f5d7c";
        ValidationSettings custom = new ValidationSettings(ValidationSettings.RevocationCheck.DISABLE,
                ValidationSettings.OnDownloadFailure.ACCEPT, ValidationSettings.PathValidation.FULL, 3, true,
                Duration.ofSeconds(300, 500));
        return List.of(
                new PolicyActivated(revision, policy),
                new CaCertificateLoaded("corp", ROOT),
                new CaCertificateLoaded("corp", ISSUING),
                new CrlLoaded(CRL, "file:issuing.crl"),
                new ValidationRequested("req-1", PEER, List.of(ISSUING),
                        Optional.of(new IkeIdentity(IkeIdentity.Type.FQDN, "gw1.example.net")),
                        Instant.parse("2025-06-01T08:59:30.250Z"), ValidationSettings.DEFAULTS,
                        Optional.of("branches"), Optional.of(revision)),
                new ValidationDecided("req-1", Verdict.ACCEPT, Reason.OK),
                new CrlLoaded(CRL, "http://crl.example.net/issuing.crl"),
                new ValidationRequested("req-2", PEER, List.of(), Optional.empty(),
                        Instant.parse("2026-01-01T00:00:00Z"),
                        custom, Optional.empty(), Optional.empty()),
                new ValidationDecided("req-2", Verdict.REJECT, Reason.EXPIRED),
                new ValidationRequested("req-3", ROOT, List.of(ISSUING, ROOT),
                        Optional.of(new IkeIdentity(IkeIdentity.Type.DN, "CN=gw1, O=Corp, C=US")),
                        Instant.parse("2025-06-01T09:05:00Z"), ValidationSettings.DEFAULTS, Optional.of("hq"),
                        Optional.of(revision)),
                new ValidationDecided("req-3", Verdict.REJECT, Reason.IDENTITY_MISMATCH));
    }

    /** The time of the n-th append (from 0). */
    static Instant appendTime(int n) {
        return FIRST_APPEND.plus(STEP.multipliedBy(n));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        if (Files.exists(dir) && Files.list(dir).findAny().isPresent()) {
            throw new IllegalStateException(dir + " is not empty: the golden store is written once");
        }
        Clock clock = new SteppingClock();
        try (FileEventLog log = FileEventLog.openForAppend(dir, clock)) {
            for (Event event : events()) {
                log.append(event);
            }
        }
        Files.deleteIfExists(dir.resolve(WriterLock.FILE_NAME));
        System.out.println(LogVerifier.verify(dir).describe());
    }

    private static Blob blob(String text) {
        return Blob.of(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A clock that steps one minute from {@link #FIRST_APPEND} each time it is read. */
    private static final class SteppingClock extends Clock {
        private int reads;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return appendTime(reads++);
        }
    }
}
