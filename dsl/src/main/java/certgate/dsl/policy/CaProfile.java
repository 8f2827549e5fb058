package certgate.dsl.policy;

import certgate.dsl.dn.DistinguishedName;
import java.util.Objects;
import java.util.Optional;

/** A CA profile: its name, the subject a CA loaded under it must have (optional), its revocation check. */
public record CaProfile(String name, Optional<DistinguishedName> caIdentity, RevocationCheck revocationCheck) {
    public CaProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(caIdentity, "caIdentity");
        Objects.requireNonNull(revocationCheck, "revocationCheck");
    }
}
