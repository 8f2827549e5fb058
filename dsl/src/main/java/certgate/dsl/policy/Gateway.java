package certgate.dsl.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * An IKE gateway: its name, how it authenticates, its CA profile (present exactly for certificate
 * authentication) and the remote identity that selects it.
 */
public record Gateway(String name, Authentication authentication, Optional<CaProfile> caProfile,
                      RemoteIdentity remoteIdentity) {
    public Gateway {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(caProfile, "caProfile");
        Objects.requireNonNull(remoteIdentity, "remoteIdentity");
        if (authentication == Authentication.CERTIFICATE && caProfile.isEmpty()) {
            throw new IllegalArgumentException("gateway " + name
                    + " authenticates by certificate but has no CA profile");
        }
        if (authentication == Authentication.PRE_SHARED_KEY && caProfile.isPresent()) {
            throw new IllegalArgumentException("pre-shared-key gateway " + name + " cannot have a CA profile");
        }
        if (authentication == Authentication.PRE_SHARED_KEY && remoteIdentity instanceof RemoteIdentity.Dn) {
            throw new IllegalArgumentException("pre-shared-key gateway " + name + " cannot use a DN identity");
        }
    }
}
