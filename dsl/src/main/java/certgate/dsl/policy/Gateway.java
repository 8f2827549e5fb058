package certgate.dsl.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * An IKE gateway: its name, how it authenticates, its CA profile (present exactly for certificate
 * authentication) and the remote identity that selects it; and, optionally, what it presents itself: its local
 * identity (the IKE ID its peers look it up by) and its local certificate.
 */
public record Gateway(String name, Authentication authentication, Optional<CaProfile> caProfile,
                      RemoteIdentity remoteIdentity, Optional<LocalIdentity> localIdentity,
                      Optional<LocalCertificate> localCertificate) {
    public Gateway {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(caProfile, "caProfile");
        Objects.requireNonNull(remoteIdentity, "remoteIdentity");
        Objects.requireNonNull(localIdentity, "localIdentity");
        Objects.requireNonNull(localCertificate, "localCertificate");
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
        if (authentication == Authentication.PRE_SHARED_KEY
                && localIdentity.filter(id -> id.type() == IdentityType.DN).isPresent()) {
            throw new IllegalArgumentException("pre-shared-key gateway " + name + " cannot present a DN identity");
        }
    }

    /** A gateway that names neither its local identity nor its local certificate. */
    public Gateway(String name, Authentication authentication, Optional<CaProfile> caProfile,
                   RemoteIdentity remoteIdentity) {
        this(name, authentication, caProfile, remoteIdentity, Optional.empty(), Optional.empty());
    }
}
