package certgate.eventstore.codec;

import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CheckpointSigned;
import certgate.eventstore.CertificateRequestGenerated;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.CrlUnchanged;
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
import certgate.eventstore.ValidationSettings;
import java.util.HexFormat;
import java.util.List;

/**
 * Encodes events into the payloads of log records, in the current version of their type. The formats (all
 * big-endian; strings as a LEB128 length and UTF-8; enums by name; optionals as a presence byte 0/1 and the value;
 * instants and durations as epoch seconds i64 and nanos i32; blobs as the 32-byte SHA-256 of their contents):
 *
 * <pre>
 * PolicyActivated v1      revision:string source:string
 * CaCertificateLoaded v1  profile:string certificate:blob
 * CrlLoaded v1            crl:blob source:string
 * CrlLoaded v2            crl:blob source:string fetch:optional(at:instant status:i32 etag:optional(string)
 *                         lastModified:optional(string)); written only for a fetched CRL, v1 otherwise
 * ValidationRequested v1  requestId:string peer:blob chain:(varint count, blob...) identity:optional(type:enum
 *                         value:string) at:instant settings:block(revocationCheck:enum onDownloadFailure:enum
 *                         pathValidation:enum maxCaLevels:i32 allowSha1:bool clockSkew:duration)
 *                         gateway:optional(string) policyRevision:optional(string)
 * ValidationDecided v1    requestId:string verdict:enum reason:enum
 * LogRepaired v1          movedTo:string files:(varint count, string...) firstLost:i64 resumedAt:i64 reason:string
 * PolicyRecorded v1       revision:string source:string
 * CheckpointSigned v1     sequence:i64 head:32 bytes keyFingerprint:32 bytes signature:(varint length, bytes)
 * KeyPairGenerated v1     publicKey:blob keyType:string file:string
 * CertificateRequestGenerated v1  subject:string subjectAltNames:(varint count, (type:enum value:string)...)
 *                         publicKeySha256:string requestSha256:string file:string
 * LocalCertificateLoaded v1  certificate:blob gateway:optional(string)
 * CrlFetchFailed v1       url:string issuer:string reason:enum at:instant status:i32 detail:string
 * CrlUnchanged v1         url:string issuer:string crlSha256:32 bytes at:instant status:i32 etag:optional(string)
 *                         lastModified:optional(string)
 * OcspAnswered v1         hashAlgorithm:string issuerNameHash:(varint length, bytes) issuerKeyHash:(varint length,
 *                         bytes) serial:(varint length, two's complement bytes) status:enum crl:optional(32 bytes)
 * </pre>
 *
 * A block is a LEB128 length followed by its fields. The blobs themselves are stored by the log, once per
 * segment, before the first event that refers to them; {@link Encoded#blobs()} lists them for that purpose.
 */
public final class EventCodec {
    /** The most certificates a request's chain may hold (a peer sends a handful; 16 CA levels at most). */
    public static final int MAX_CHAIN = 64;
    /** The most subjectAltNames a certificate request's event may list (a request asks for a handful). */
    public static final int MAX_SUBJECT_ALT_NAMES = 1024;
    private static final byte[] DEFAULT_SETTINGS = settingsBlock(ValidationSettings.DEFAULTS);

    private EventCodec() {
    }

    /**
     * An encoded event: its type, the version of its payload, the payload, and every blob the payload refers to,
     * in order of reference. The version is the type's current one, except where an older version holds the
     * event exactly: a CRL loaded from a file is still written as CrlLoaded v1, byte for byte as before.
     */
    public record Encoded(EventType type, int version, byte[] payload, List<Blob> blobs) {
        public Encoded {
            blobs = List.copyOf(blobs);
        }
    }

    /**
     * Encodes {@code event} in its type's current version.
     *
     * @throws IllegalArgumentException when a string cannot be stored (an unpaired surrogate)
     */
    public static Encoded encode(Event event) {
        EventType type = EventType.of(event);
        PayloadWriter out = new PayloadWriter(type.displayName());
        if (event instanceof PolicyActivated e) {
            out.string("revision", e.revision());
            out.string("source", e.source());
        } else if (event instanceof PolicyRecorded e) {
            out.string("revision", e.revision());
            out.string("source", e.source());
        } else if (event instanceof CaCertificateLoaded e) {
            out.string("profile", e.profile());
            out.blobRef(e.certificate());
        } else if (event instanceof CrlLoaded e) {
            out.blobRef(e.crl());
            out.string("source", e.source());
            if (e.fetch().isPresent()) {
                out.bool(true);
                CrlLoaded.Fetch fetch = e.fetch().get();
                out.instant(fetch.at());
                out.i32(fetch.status());
                optional(out, "fetch.etag", fetch.etag());
                optional(out, "fetch.lastModified", fetch.lastModified());
            }
        } else if (event instanceof CrlFetchFailed e) {
            out.string("url", e.url());
            out.string("issuer", e.issuer());
            out.enumName(e.reason());
            out.instant(e.at());
            out.i32(e.status());
            out.string("detail", e.detail());
        } else if (event instanceof CrlUnchanged e) {
            out.string("url", e.url());
            out.string("issuer", e.issuer());
            out.raw(HexFormat.of().parseHex(e.crlSha256()));
            out.instant(e.at());
            out.i32(e.status());
            optional(out, "etag", e.etag());
            optional(out, "lastModified", e.lastModified());
        } else if (event instanceof ValidationRequested e) {
            encodeRequest(e, out);
        } else if (event instanceof ValidationDecided e) {
            out.string("requestId", e.requestId());
            out.enumName(e.verdict());
            out.enumName(e.reason());
        } else if (event instanceof LogRepaired e) {
            out.string("movedTo", e.movedTo());
            out.varint(e.files().size());
            for (String file : e.files()) {
                out.string("files", file);
            }
            out.i64(e.firstLost());
            out.i64(e.resumedAt());
            out.string("reason", e.reason());
        } else if (event instanceof CheckpointSigned e) {
            out.i64(e.sequence());
            out.raw(HexFormat.of().parseHex(e.head()));
            out.raw(HexFormat.of().parseHex(e.keyFingerprint()));
            byte[] signature = e.signatureBytes();
            out.varint(signature.length);
            out.raw(signature);
        } else if (event instanceof KeyPairGenerated e) {
            out.blobRef(e.publicKey());
            out.string("keyType", e.keyType());
            out.string("file", e.file());
        } else if (event instanceof CertificateRequestGenerated e) {
            out.string("subject", e.subject());
            if (e.subjectAltNames().size() > MAX_SUBJECT_ALT_NAMES) {
                throw new IllegalArgumentException("CertificateRequestGenerated lists " + e.subjectAltNames().size()
                        + " subjectAltNames, more than " + MAX_SUBJECT_ALT_NAMES);
            }
            out.varint(e.subjectAltNames().size());
            for (IkeIdentity name : e.subjectAltNames()) {
                out.enumName(name.type());
                out.string("subjectAltNames.value", name.value());
            }
            out.string("publicKeySha256", e.publicKeySha256());
            out.string("requestSha256", e.requestSha256());
            out.string("file", e.file());
        } else if (event instanceof LocalCertificateLoaded e) {
            out.blobRef(e.certificate());
            out.bool(e.gateway().isPresent());
            if (e.gateway().isPresent()) {
                out.string("gateway", e.gateway().get());
            }
        } else if (event instanceof OcspAnswered e) {
            out.string("hashAlgorithm", e.hashAlgorithm());
            lengthPrefixed(out, HexFormat.of().parseHex(e.issuerNameHash()));
            lengthPrefixed(out, HexFormat.of().parseHex(e.issuerKeyHash()));
            lengthPrefixed(out, e.serial().toByteArray());
            out.enumName(e.status());
            out.bool(e.crlSha256().isPresent());
            if (e.crlSha256().isPresent()) {
                out.raw(HexFormat.of().parseHex(e.crlSha256().get()));
            }
        } else {
            throw new IllegalArgumentException("no log codec for event type " + event.getClass().getName());
        }
        int version = event instanceof CrlLoaded crl && crl.fetch().isEmpty() ? 1 : type.currentVersion();
        return new Encoded(type, version, out.toByteArray(), out.blobs());
    }

    private static void optional(PayloadWriter out, String field, java.util.Optional<String> value) {
        out.bool(value.isPresent());
        if (value.isPresent()) {
            out.string(field, value.get());
        }
    }

    private static void lengthPrefixed(PayloadWriter out, byte[] bytes) {
        out.varint(bytes.length);
        out.raw(bytes);
    }

    /** A decoder for one reader: it keeps small caches, so use one per thread. */
    public static EventDecoder decoder() {
        return new EventDecoder();
    }

    /** The settings as a block: its length, then the fields. */
    private static byte[] settingsBlock(ValidationSettings s) {
        PayloadWriter settings = new PayloadWriter("ValidationSettings");
        settings.enumName(s.revocationCheck());
        settings.enumName(s.onDownloadFailure());
        settings.enumName(s.pathValidation());
        settings.i32(s.maxCaLevels());
        settings.bool(s.allowSha1());
        settings.duration(s.clockSkew());
        PayloadWriter block = new PayloadWriter("ValidationSettings");
        block.block(settings);
        return block.toByteArray();
    }

    private static void encodeRequest(ValidationRequested e, PayloadWriter out) {
        out.string("requestId", e.requestId());
        out.blobRef(e.peer());
        if (e.chain().size() > MAX_CHAIN) {
            throw new IllegalArgumentException("ValidationRequested " + e.requestId() + " has a chain of "
                    + e.chain().size() + " certificates, more than " + MAX_CHAIN);
        }
        out.varint(e.chain().size());
        for (Blob blob : e.chain()) {
            out.blobRef(blob);
        }
        out.bool(e.identity().isPresent());
        if (e.identity().isPresent()) {
            IkeIdentity identity = e.identity().get();
            out.enumName(identity.type());
            out.string("identity.value", identity.value());
        }
        out.instant(e.at());
        // Nearly every request carries the defaults: their block is encoded once.
        out.raw(e.settings().equals(ValidationSettings.DEFAULTS) ? DEFAULT_SETTINGS : settingsBlock(e.settings()));
        out.bool(e.gateway().isPresent());
        if (e.gateway().isPresent()) {
            out.string("gateway", e.gateway().get());
        }
        out.bool(e.policyRevision().isPresent());
        if (e.policyRevision().isPresent()) {
            out.string("policyRevision", e.policyRevision().get());
        }
    }
}
