package certgate.engine;

import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.OnDownloadFailure;
import certgate.dsl.policy.PathValidation;
import certgate.dsl.policy.RevocationMode;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.ValidationSettings;

/**
 * The one translation between the policy language's enums and the ones requests and decisions are recorded
 * with. Every switch is exhaustive and has no default, so a constant added on either side fails to compile here
 * instead of failing at run time as a name lookup would.
 */
final class PolicyEnums {
    private PolicyEnums() {
    }

    /** The IKE ID type a gateway's remote identity is presented as. */
    static IkeIdentity.Type ikeIdType(IdentityType type) {
        return switch (type) {
            case IP -> IkeIdentity.Type.IP;
            case FQDN -> IkeIdentity.Type.FQDN;
            case UFQDN -> IkeIdentity.Type.UFQDN;
            case DN -> IkeIdentity.Type.DN;
        };
    }

    /** The kind of gateway remote identity an IKE ID of this type is looked up among. */
    static IdentityType identityType(IkeIdentity.Type type) {
        return switch (type) {
            case IP -> IdentityType.IP;
            case FQDN -> IdentityType.FQDN;
            case UFQDN -> IdentityType.UFQDN;
            case DN -> IdentityType.DN;
        };
    }

    static ValidationSettings.RevocationCheck revocationCheck(RevocationMode mode) {
        return switch (mode) {
            case CRL -> ValidationSettings.RevocationCheck.CRL;
            case DISABLE -> ValidationSettings.RevocationCheck.DISABLE;
        };
    }

    static ValidationSettings.OnDownloadFailure onDownloadFailure(OnDownloadFailure onFailure) {
        return switch (onFailure) {
            case REJECT -> ValidationSettings.OnDownloadFailure.REJECT;
            case ACCEPT -> ValidationSettings.OnDownloadFailure.ACCEPT;
        };
    }

    static ValidationSettings.PathValidation pathValidation(PathValidation pathValidation) {
        return switch (pathValidation) {
            case PARTIAL -> ValidationSettings.PathValidation.PARTIAL;
            case FULL -> ValidationSettings.PathValidation.FULL;
        };
    }
}
