package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.OnDownloadFailure;
import certgate.dsl.policy.PathValidation;
import certgate.dsl.policy.RevocationMode;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.ValidationSettings;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The policy language's enums and the recorded ones correspond constant for constant. */
class PolicyEnumsTest {

    @Test
    void every_identity_type_maps_to_its_ike_id_type_and_back() {
        Map<IdentityType, IkeIdentity.Type> expected = new EnumMap<>(Map.of(
                IdentityType.IP, IkeIdentity.Type.IP,
                IdentityType.FQDN, IkeIdentity.Type.FQDN,
                IdentityType.UFQDN, IkeIdentity.Type.UFQDN,
                IdentityType.DN, IkeIdentity.Type.DN));
        assertEquals(Set.of(IdentityType.values()), expected.keySet());
        assertEquals(Set.of(IkeIdentity.Type.values()), Set.copyOf(expected.values()));
        for (IdentityType type : IdentityType.values()) {
            assertEquals(expected.get(type), PolicyEnums.ikeIdType(type), type.name());
            assertEquals(type, PolicyEnums.identityType(PolicyEnums.ikeIdType(type)), type.name());
        }
        for (IkeIdentity.Type type : IkeIdentity.Type.values()) {
            assertEquals(type, PolicyEnums.ikeIdType(PolicyEnums.identityType(type)), type.name());
        }
    }

    @Test
    void every_revocation_mode_maps_to_its_own_recorded_check() {
        assertEquals(ValidationSettings.RevocationCheck.CRL, PolicyEnums.revocationCheck(RevocationMode.CRL));
        assertEquals(ValidationSettings.RevocationCheck.DISABLE, PolicyEnums.revocationCheck(RevocationMode.DISABLE));
        assertEquals(Set.of(ValidationSettings.RevocationCheck.values()),
                Arrays.stream(RevocationMode.values()).map(PolicyEnums::revocationCheck).collect(Collectors.toSet()));
    }

    @Test
    void every_on_download_failure_maps_to_its_own_recorded_setting() {
        assertEquals(ValidationSettings.OnDownloadFailure.REJECT,
                PolicyEnums.onDownloadFailure(OnDownloadFailure.REJECT));
        assertEquals(ValidationSettings.OnDownloadFailure.ACCEPT,
                PolicyEnums.onDownloadFailure(OnDownloadFailure.ACCEPT));
        assertEquals(Set.of(ValidationSettings.OnDownloadFailure.values()), Arrays.stream(OnDownloadFailure.values())
                .map(PolicyEnums::onDownloadFailure).collect(Collectors.toSet()));
    }

    @Test
    void every_path_validation_maps_to_its_own_recorded_setting() {
        assertEquals(ValidationSettings.PathValidation.PARTIAL, PolicyEnums.pathValidation(PathValidation.PARTIAL));
        assertEquals(ValidationSettings.PathValidation.FULL, PolicyEnums.pathValidation(PathValidation.FULL));
        assertEquals(Set.of(ValidationSettings.PathValidation.values()), Arrays.stream(PathValidation.values())
                .map(PolicyEnums::pathValidation).collect(Collectors.toSet()));
    }
}
