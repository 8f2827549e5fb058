package certgate.eventstore;

/**
 * A fact certgate records. The engine's state is a fold of these over the log, and every decision is one of
 * them too, so a replay reproduces both what was trusted and what was decided.
 *
 * <p>Types are versioned by the log codec: adding a component to a record is a new version that old logs must
 * still decode into (with a default). Enum values are stored by name, never by ordinal.
 */
public sealed interface Event
        permits CaCertificateLoaded, CrlLoaded, PolicyActivated, PolicyRecorded, ValidationRequested,
        ValidationDecided, LogRepaired, KeyPairGenerated, CertificateRequestGenerated, LocalCertificateLoaded,
        CheckpointSigned, CrlFetchFailed, CrlUnchanged, OcspAnswered {
}
