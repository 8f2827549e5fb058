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
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Decodes payloads written by {@link EventCodec}, in every version this release knows. Values that repeat from
 * one request to the next (the settings, the gateway, the policy revision) are recognised by their bytes and
 * shared, so replaying a million requests does not build a million equal settings objects.
 */
public final class EventDecoder {
    private static final EnumNames<Verdict> VERDICTS = new EnumNames<>(Verdict.class);
    private static final EnumNames<Reason> REASONS = new EnumNames<>(Reason.class);
    private static final EnumNames<CrlFetchFailed.Code> FETCH_FAILURES = new EnumNames<>(CrlFetchFailed.Code.class);
    private static final EnumNames<IkeIdentity.Type> ID_TYPES = new EnumNames<>(IkeIdentity.Type.class);
    private static final EnumNames<ValidationSettings.RevocationCheck> REVOCATION_CHECKS =
            new EnumNames<>(ValidationSettings.RevocationCheck.class);
    private static final EnumNames<ValidationSettings.OnDownloadFailure> ON_DOWNLOAD_FAILURES =
            new EnumNames<>(ValidationSettings.OnDownloadFailure.class);
    private static final EnumNames<ValidationSettings.PathValidation> PATH_VALIDATIONS =
            new EnumNames<>(ValidationSettings.PathValidation.class);

    private static final EnumNames<OcspAnswered.Status> OCSP_STATUSES = new EnumNames<>(OcspAnswered.Status.class);

    private final PayloadReader in = new PayloadReader();
    private byte[] lastSettingsBytes;
    private ValidationSettings lastSettings;
    private final RepeatedString gateways = new RepeatedString();
    private final RepeatedString revisions = new RepeatedString();

    EventDecoder() {
    }

    /**
     * Decodes the payload {@code buf[offset, offset + length)} of the event at {@code sequence}.
     *
     * @param blobs the blobs stored so far in the event's segment, which its references must name
     * @throws CodecException naming the sequence number, for an unknown type or version or a malformed payload
     */
    public Event decode(long sequence, int typeTag, int version, byte[] buf, int offset, int length,
                        BlobTable blobs) {
        EventType type = EventType.ofTag(typeTag).orElseThrow(() -> new CodecException(sequence,
                "event at sequence " + sequence + " has type tag " + typeTag
                        + ", which this release does not know (known tags " + EventType.knownTags() + ")"));
        if (version < 1 || version > type.currentVersion()) {
            throw new CodecException(sequence, "event at sequence " + sequence + " is " + type.displayName()
                    + " version " + version + ", which this release does not know (it reads versions 1.."
                    + type.currentVersion() + ")");
        }
        in.reset(buf, offset, length, sequence, type.displayName());
        Event event;
        try {
            event = switch (type) {
                case POLICY_ACTIVATED -> new PolicyActivated(in.string("revision"), in.string("source"));
                case CA_CERTIFICATE_LOADED -> new CaCertificateLoaded(in.string("profile"),
                        in.blobRef("certificate", blobs));
                case CRL_LOADED -> new CrlLoaded(in.blobRef("crl", blobs), in.string("source"),
                        version >= 2 && in.present("fetch") ? Optional.of(fetch()) : Optional.empty());
                case CRL_FETCH_FAILED -> new CrlFetchFailed(in.string("url"), in.string("issuer"),
                        in.enumName("reason", FETCH_FAILURES), in.instant("at"), in.i32("status"),
                        in.string("detail"));
                case CRL_UNCHANGED -> new CrlUnchanged(in.string("url"), in.string("issuer"),
                        HexFormat.of().formatHex(in.bytes("crlSha256", 32)), in.instant("at"), in.i32("status"),
                        optionalString("etag"), optionalString("lastModified"));
                case VALIDATION_REQUESTED -> request(blobs);
                case VALIDATION_DECIDED -> new ValidationDecided(in.string("requestId"),
                        in.enumName("verdict", VERDICTS), in.enumName("reason", REASONS));
                case LOG_REPAIRED -> repaired();
                case POLICY_RECORDED -> new PolicyRecorded(in.string("revision"), in.string("source"));
                case CHECKPOINT_SIGNED -> checkpoint();
                case KEY_PAIR_GENERATED -> new KeyPairGenerated(in.blobRef("publicKey", blobs), in.string("keyType"),
                        in.string("file"));
                case CERTIFICATE_REQUEST_GENERATED -> requestGenerated();
                case LOCAL_CERTIFICATE_LOADED -> new LocalCertificateLoaded(in.blobRef("certificate", blobs),
                        in.present("gateway") ? Optional.of(in.string("gateway")) : Optional.empty());
                case OCSP_ANSWERED -> ocspAnswered();
            };
        } catch (IllegalArgumentException e) {
            // A record constructor refused a decoded value (for example maxCaLevels out of range).
            throw new CodecException(sequence, "event at sequence " + sequence + " (" + type.displayName()
                    + "): " + e.getMessage(), e);
        }
        in.requireEnd();
        return event;
    }

    private CrlLoaded.Fetch fetch() {
        return new CrlLoaded.Fetch(in.instant("fetch.at"), in.i32("fetch.status"), optionalString("fetch.etag"),
                optionalString("fetch.lastModified"));
    }

    private Optional<String> optionalString(String field) {
        return in.present(field) ? Optional.of(in.string(field)) : Optional.empty();
    }

    private CheckpointSigned checkpoint() {
        long sequence = in.i64("sequence");
        String head = HexFormat.of().formatHex(in.bytes("head", 32));
        String fingerprint = HexFormat.of().formatHex(in.bytes("keyFingerprint", 32));
        int length = in.varint("signature");
        if (length > CheckpointSigned.MAX_SIGNATURE_BYTES) {
            throw in.fail("signature", length + " bytes, more than the " + CheckpointSigned.MAX_SIGNATURE_BYTES
                    + " a checkpoint signature may have");
        }
        String signature = Base64.getEncoder().encodeToString(in.bytes("signature", length));
        return new CheckpointSigned(sequence, head, fingerprint, signature);
    }

    private OcspAnswered ocspAnswered() {
        String algorithm = in.string("hashAlgorithm");
        String nameHash = HexFormat.of().formatHex(lengthPrefixed("issuerNameHash", OcspAnswered.MAX_HASH_BYTES));
        String keyHash = HexFormat.of().formatHex(lengthPrefixed("issuerKeyHash", OcspAnswered.MAX_HASH_BYTES));
        byte[] serial = lengthPrefixed("serial", OcspAnswered.MAX_SERIAL_BYTES);
        if (serial.length == 0) {
            throw in.fail("serial", "no bytes (an INTEGER has at least one)");
        }
        OcspAnswered.Status status = in.enumName("status", OCSP_STATUSES);
        Optional<String> crl = in.present("crl")
                ? Optional.of(HexFormat.of().formatHex(in.bytes("crl", 32))) : Optional.empty();
        return new OcspAnswered(algorithm, nameHash, keyHash, new BigInteger(serial), status, crl);
    }

    private byte[] lengthPrefixed(String field, int max) {
        int length = in.varint(field);
        if (length > max) {
            throw in.fail(field, length + " bytes, more than the " + max + " allowed");
        }
        return in.bytes(field, length);
    }

    private CertificateRequestGenerated requestGenerated() {
        String subject = in.string("subject");
        int count = in.varint("subjectAltNames");
        if (count > EventCodec.MAX_SUBJECT_ALT_NAMES) {
            throw in.fail("subjectAltNames", count + " names, more than the " + EventCodec.MAX_SUBJECT_ALT_NAMES
                    + " a request may list");
        }
        List<IkeIdentity> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(new IkeIdentity(in.enumName("subjectAltNames[" + i + "].type", ID_TYPES),
                    in.string("subjectAltNames[" + i + "].value")));
        }
        return new CertificateRequestGenerated(subject, names, in.string("publicKeySha256"),
                in.string("requestSha256"), in.string("file"));
    }

    private LogRepaired repaired() {
        String movedTo = in.string("movedTo");
        int count = in.varint("files");
        List<String> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(in.string("files[" + i + "]"));
        }
        return new LogRepaired(movedTo, files, in.i64("firstLost"), in.i64("resumedAt"), in.string("reason"));
    }

    private ValidationRequested request(BlobTable blobs) {
        String requestId = in.string("requestId");
        Blob peer = in.blobRef("peer", blobs);
        int chainLength = in.varint("chain");
        if (chainLength > EventCodec.MAX_CHAIN) {
            throw in.fail("chain", chainLength + " certificates, more than the " + EventCodec.MAX_CHAIN
                    + " a request may carry");
        }
        List<Blob> chain;
        if (chainLength == 0) {
            chain = List.of();
        } else if (chainLength == 1) {
            // Immutable already, so the record's List.copyOf keeps it instead of copying.
            chain = List.of(in.blobRef("chain[0]", blobs));
        } else {
            List<Blob> list = new ArrayList<>(chainLength);
            for (int i = 0; i < chainLength; i++) {
                list.add(in.blobRef("chain[" + i + "]", blobs));
            }
            chain = list;
        }
        Optional<IkeIdentity> identity = Optional.empty();
        if (in.present("identity")) {
            identity = Optional.of(new IkeIdentity(in.enumName("identity.type", ID_TYPES),
                    in.string("identity.value")));
        }
        Instant at = in.instant("at");
        ValidationSettings settings = settings();
        Optional<String> gateway = in.present("gateway") ? gateways.read(in, "gateway") : Optional.empty();
        Optional<String> revision = in.present("policyRevision")
                ? revisions.read(in, "policyRevision") : Optional.empty();
        return new ValidationRequested(requestId, peer, chain, identity, at, settings, gateway, revision);
    }

    private ValidationSettings settings() {
        int length = in.varint("settings");
        if (in.nextBytesEqual(lastSettingsBytes, length)) {
            in.skip("settings", length);
            return lastSettings;
        }
        byte[] bytes = in.peekCopy("settings", length);
        int outer = in.beginBlock("settings", length);
        ValidationSettings.RevocationCheck revocationCheck =
                in.enumName("settings.revocationCheck", REVOCATION_CHECKS);
        ValidationSettings.OnDownloadFailure onDownloadFailure =
                in.enumName("settings.onDownloadFailure", ON_DOWNLOAD_FAILURES);
        ValidationSettings.PathValidation pathValidation = in.enumName("settings.pathValidation", PATH_VALIDATIONS);
        int maxCaLevels = in.i32("settings.maxCaLevels");
        boolean allowSha1 = in.bool("settings.allowSha1");
        Duration clockSkew = in.duration("settings.clockSkew");
        in.endBlock("settings", outer);
        ValidationSettings settings = new ValidationSettings(revocationCheck, onDownloadFailure, pathValidation,
                maxCaLevels, allowSha1, clockSkew);
        lastSettingsBytes = bytes;
        lastSettings = settings;
        return settings;
    }

    /** The last value of a string field that tends to repeat, kept with its bytes. */
    private static final class RepeatedString {
        private byte[] bytes;
        private Optional<String> value;

        Optional<String> read(PayloadReader in, String field) {
            int length = in.varint(field);
            if (in.nextBytesEqual(bytes, length)) {
                in.skip(field, length);
                return value;
            }
            byte[] copy = in.peekCopy(field, length);
            in.skip(field, length);
            bytes = copy;
            value = Optional.of(new String(copy, java.nio.charset.StandardCharsets.UTF_8));
            return value;
        }
    }
}
