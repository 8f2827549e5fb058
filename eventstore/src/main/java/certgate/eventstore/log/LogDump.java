package certgate.eventstore.log;

import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CheckpointSigned;
import certgate.eventstore.CertificateRequestGenerated;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.KeyPairGenerated;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.LogRepaired;
import certgate.eventstore.OcspAnswered;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.codec.EventType;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The records of a store, blobs included, for {@code certgate log dump}. Reads like {@link LogReader} (CRC and
 * sequence checked, a torn tail ends the dump) and raises {@link CorruptLogException} at damage.
 */
public final class LogDump {
    private LogDump() {
    }

    /** Feeds every record whose sequence is at least {@code fromSequence} to {@code out}; returns how many. */
    public static long dump(Path dir, long fromSequence, Consumer<DumpedRecord> out) {
        long[] count = {0};
        try (RecordCursor cursor = new RecordCursor(dir, fromSequence)) {
            cursor.poll(Long.MAX_VALUE, (at, event, blob) -> {
                if (at.sequence() < fromSequence) {
                    return;
                }
                String chain = HexFormat.of().formatHex(at.chain());
                if (blob != null) {
                    out.accept(new DumpedRecord(at.sequence(), at.appendedAt(), RecordKind.BLOB, "Blob",
                            at.version(), at.segmentName(), at.offset(), at.recordLength(), chain,
                            "sha256=" + blob.sha256Hex() + " " + blob.length() + " bytes", Optional.empty()));
                } else {
                    String type = EventType.ofTag(at.typeTag()).map(EventType::displayName).orElse("?");
                    out.accept(new DumpedRecord(at.sequence(), at.appendedAt(), RecordKind.EVENT, type, at.version(),
                            at.segmentName(), at.offset(), at.recordLength(), chain, describe(event),
                            Optional.of(event)));
                }
                count[0]++;
            });
        }
        return count[0];
    }

    /** One line about an event's payload: short, printable, blobs by the start of their SHA-256. */
    public static String describe(Event event) {
        if (event instanceof PolicyActivated e) {
            return "revision=" + text(e.revision()) + " source=" + e.source().length() + " chars";
        }
        if (event instanceof PolicyRecorded e) {
            return "revision=" + text(e.revision()) + " source=" + e.source().length() + " chars (not activated)";
        }
        if (event instanceof CaCertificateLoaded e) {
            return "profile=" + text(e.profile()) + " certificate=" + blob(e.certificate());
        }
        if (event instanceof CrlLoaded e) {
            return "source=" + text(e.source()) + " crl=" + blob(e.crl());
        }
        if (event instanceof ValidationRequested e) {
            StringBuilder line = new StringBuilder("request=").append(text(e.requestId()))
                    .append(" peer=").append(blob(e.peer()))
                    .append(" chain=").append(e.chain().size())
                    .append(" at=").append(e.at());
            e.identity().ifPresent(id -> line.append(" id=").append(text(id.toString())));
            e.gateway().ifPresent(gateway -> line.append(" gateway=").append(text(gateway)));
            e.policyRevision().ifPresent(revision -> line.append(" policy=").append(text(revision)));
            return line.toString();
        }
        if (event instanceof ValidationDecided e) {
            // Verdicts print in lower case as in every other output; reason codes keep their stable enum names.
            return "request=" + text(e.requestId()) + " verdict=" + e.verdict().name().toLowerCase(Locale.ROOT)
                    + " reason=" + e.reason();
        }
        if (event instanceof LogRepaired e) {
            return "lost=" + e.firstLost() + ".." + (e.resumedAt() - 1) + " movedTo=" + text(e.movedTo())
                    + " files=" + e.files().size();
        }
        if (event instanceof CheckpointSigned e) {
            String covers = e.sequence() == 0 ? "none" : "0.." + (e.sequence() - 1);
            return "covers=" + covers + " head=" + e.head().substring(0, 16) + " key="
                    + e.keyFingerprint().substring(0, 16);
        }
        if (event instanceof KeyPairGenerated e) {
            return "keyType=" + text(e.keyType()) + " publicKey=" + blob(e.publicKey()) + " file=" + text(e.file());
        }
        if (event instanceof CertificateRequestGenerated e) {
            return "subject=" + text(e.subject()) + " san=" + text(String.join(",",
                    e.subjectAltNames().stream().map(IkeIdentity::toString).toList()))
                    + " publicKey=sha256:" + digest(e.publicKeySha256())
                    + " request=sha256:" + digest(e.requestSha256()) + " file=" + text(e.file());
        }
        if (event instanceof LocalCertificateLoaded e) {
            return "certificate=" + blob(e.certificate()) + e.gateway().map(g -> " gateway=" + text(g)).orElse("");
        }
        if (event instanceof OcspAnswered e) {
            return "status=" + e.status().name().toLowerCase(Locale.ROOT) + " serial=" + e.serial().toString(16)
                    + " issuerKeyHash=" + e.issuerKeyHash().substring(0, Math.min(16, e.issuerKeyHash().length()))
                    + " crl=" + e.crlSha256().map(LogDump::digest).orElse("none");
        }
        return event.getClass().getSimpleName();
    }

    /** A SHA-256 in hex given as text, cut to its first 16 characters as blobs are. */
    private static String digest(String hex) {
        String shown = text(hex);
        return shown.length() > 16 ? shown.substring(0, 16) : shown;
    }

    private static String blob(Blob blob) {
        return "sha256:" + blob.sha256Hex().substring(0, 16) + "(" + blob.length() + "B)";
    }

    /** Control characters escaped and long values cut, so that one record stays one line. */
    private static String text(String value) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (c == ' ' || c == '\\') {
                out.append(c == ' ' ? "\\x20" : "\\\\");
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.toString();
    }
}
