package certgate.eventstore.codec;

import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CheckpointSigned;
import certgate.eventstore.CertificateRequestGenerated;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.CrlUnchanged;
import certgate.eventstore.Event;
import certgate.eventstore.KeyPairGenerated;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.LogRepaired;
import certgate.eventstore.OcspAnswered;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import java.util.Optional;

/**
 * The event types the log knows, with the tag stored in every record and the version this release writes.
 * Tags are stable: a new type takes a new tag, and a changed type keeps its tag and raises its version (the
 * decoder keeps reading every older version).
 */
public enum EventType {
    POLICY_ACTIVATED(1, 1, PolicyActivated.class),
    CA_CERTIFICATE_LOADED(2, 1, CaCertificateLoaded.class),
    CRL_LOADED(3, 2, CrlLoaded.class),
    VALIDATION_REQUESTED(4, 1, ValidationRequested.class),
    VALIDATION_DECIDED(5, 1, ValidationDecided.class),
    LOG_REPAIRED(6, 1, LogRepaired.class),
    POLICY_RECORDED(7, 1, PolicyRecorded.class),
    KEY_PAIR_GENERATED(8, 1, KeyPairGenerated.class),
    CERTIFICATE_REQUEST_GENERATED(9, 1, CertificateRequestGenerated.class),
    LOCAL_CERTIFICATE_LOADED(10, 1, LocalCertificateLoaded.class),
    CHECKPOINT_SIGNED(11, 1, CheckpointSigned.class),
    CRL_FETCH_FAILED(12, 1, CrlFetchFailed.class),
    CRL_UNCHANGED(13, 1, CrlUnchanged.class),
    OCSP_ANSWERED(15, 1, OcspAnswered.class);

    private static final EventType[] BY_TAG = byTag();

    private static EventType[] byTag() {
        int highest = 0;
        for (EventType type : values()) {
            highest = Math.max(highest, type.tag);
        }
        // Tags need not be contiguous (a tag is never reused), so the table is sized by the highest one.
        EventType[] byTag = new EventType[highest + 1];
        for (EventType type : values()) {
            byTag[type.tag] = type;
        }
        return byTag;
    }

    private final int tag;
    private final int currentVersion;
    private final Class<? extends Event> eventClass;
    private final String displayName;

    EventType(int tag, int currentVersion, Class<? extends Event> eventClass) {
        this.tag = tag;
        this.currentVersion = currentVersion;
        this.eventClass = eventClass;
        this.displayName = eventClass.getSimpleName();
    }

    /** The number stored in a record's type field. */
    public int tag() {
        return tag;
    }

    /** The version of the payload format this release writes. */
    public int currentVersion() {
        return currentVersion;
    }

    public Class<? extends Event> eventClass() {
        return eventClass;
    }

    /** The record's simple name, as dumps and error messages print it ({@code ValidationDecided}). */
    public String displayName() {
        return displayName;
    }

    /** The tags this release knows, for messages: runs such as {@code 1..11}, or {@code 1..7, 11} after a gap. */
    public static String knownTags() {
        StringBuilder out = new StringBuilder();
        int runStart = -1;
        for (int tag = 1; tag <= BY_TAG.length; tag++) {
            boolean known = tag < BY_TAG.length && BY_TAG[tag] != null;
            if (known && runStart < 0) {
                runStart = tag;
            } else if (!known && runStart >= 0) {
                out.append(out.length() == 0 ? "" : ", ").append(runStart)
                        .append(tag - 1 > runStart ? ".." + (tag - 1) : "");
                runStart = -1;
            }
        }
        return out.toString();
    }

    public static Optional<EventType> ofTag(int tag) {
        return tag > 0 && tag < BY_TAG.length ? Optional.ofNullable(BY_TAG[tag]) : Optional.empty();
    }

    /** The type of {@code event}; every permitted subtype of {@link Event} has one. */
    public static EventType of(Event event) {
        Class<?> type = event.getClass();
        for (EventType candidate : values()) {
            if (candidate.eventClass == type) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no log codec for event type " + type.getName());
    }
}
