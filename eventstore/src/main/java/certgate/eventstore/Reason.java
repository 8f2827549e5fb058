package certgate.eventstore;

/**
 * The primary reason of a decision. Stable: these names are stored in the log and documented in the README;
 * new codes are appended, none is renamed or removed.
 */
public enum Reason {
    /** Every check passed. */
    OK,
    /** The peer or a chain certificate could not be parsed. */
    MALFORMED_CERTIFICATE,
    /** No path from the peer to a locally stored CA certificate. */
    NO_TRUSTED_PATH,
    /** A signature on a certificate in the path does not verify with its issuer's key. */
    SIGNATURE_INVALID,
    /** A signature uses an algorithm that is refused (MD5 always, SHA-1 unless allowed). */
    WEAK_ALGORITHM,
    /** A signature or key algorithm that certgate does not implement. */
    UNSUPPORTED_ALGORITHM,
    /** A certificate's notAfter is before the validation time. */
    EXPIRED,
    /** A certificate's notBefore is after the validation time. */
    NOT_YET_VALID,
    /** An issuer in the path is not a CA (basicConstraints). */
    NOT_A_CA,
    /** An issuer's key may not sign certificates, or the peer's key may not sign (keyUsage). */
    KEY_USAGE_INVALID,
    /** A pathLenConstraint is exceeded. */
    PATH_LENGTH_EXCEEDED,
    /** The path has more CA certificates than the maximum number of CA levels. */
    CA_LEVELS_EXCEEDED,
    /** Full path validation was asked for and the path does not end at a self-signed root. */
    NOT_ANCHORED_AT_ROOT,
    /** A name in the path is outside an issuer's name constraints. */
    NAME_CONSTRAINTS_VIOLATED,
    /** A certificate has a critical extension certgate does not process. */
    UNKNOWN_CRITICAL_EXTENSION,
    /** A certificate breaks RFC 5280 in a way that makes it unusable (for example an empty issuer). */
    INVALID_CERTIFICATE,
    /** The peer certificate does not carry the IKE ID the peer presented. */
    IDENTITY_MISMATCH,
    /** A certificate in the path is on its issuer's CRL. */
    REVOKED,
    /** No usable CRL covers a certificate and the profile fails closed. */
    CRL_UNAVAILABLE,
    /** No gateway of the policy matches the IKE ID. */
    GATEWAY_NOT_FOUND,
    /** The matching gateway authenticates with a pre-shared key, not a certificate. */
    NOT_A_CERTIFICATE_GATEWAY,
    /** The request was made under a policy revision that the log never activated (or whose source is unusable). */
    POLICY_UNAVAILABLE,
    /** No certificate policy is valid for the whole path although one is required (RFC 5280 6.1, policyConstraints). */
    POLICY_CONSTRAINTS_VIOLATED
}
