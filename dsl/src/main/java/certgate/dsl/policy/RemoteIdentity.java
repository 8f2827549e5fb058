package certgate.dsl.policy;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnRule;
import certgate.dsl.dn.DnSyntaxException;
import java.util.Objects;
import java.util.Optional;

/** A gateway's remote identity: exactly one of ip, fqdn, ufqdn or a DN rule. */
public sealed interface RemoteIdentity {

    IdentityType type();

    /** Whether a presented IKE ID of this identity's type, as text, matches; false when the text is malformed. */
    boolean matches(String presented);

    /** Compared as addresses. */
    record Ip(IpAddress address) implements RemoteIdentity {
        public Ip {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public IdentityType type() {
            return IdentityType.IP;
        }

        @Override
        public boolean matches(String presented) {
            return IpAddress.parse(presented).map(address::equals).orElse(false);
        }
    }

    /** A DNS name in normal form; matched case-insensitively, one trailing dot ignored. */
    record Fqdn(String name) implements RemoteIdentity {
        public Fqdn {
            if (!HostName.fqdn(name).equals(Optional.of(name))) {
                throw new IllegalArgumentException("'" + name + "' is not an FQDN in normal form");
            }
        }

        @Override
        public IdentityType type() {
            return IdentityType.FQDN;
        }

        @Override
        public boolean matches(String presented) {
            return HostName.fqdn(presented).map(name::equals).orElse(false);
        }
    }

    /** An e-mail address: the local part exactly, the domain case-insensitively. */
    record Ufqdn(HostName.Mailbox mailbox) implements RemoteIdentity {
        public Ufqdn {
            Objects.requireNonNull(mailbox, "mailbox");
        }

        @Override
        public IdentityType type() {
            return IdentityType.UFQDN;
        }

        @Override
        public boolean matches(String presented) {
            return HostName.mailbox(presented).map(mailbox::equals).orElse(false);
        }
    }

    /** A container or wildcard rule, applied to the presented DN (the peer's IKE ID). */
    record Dn(DnRule rule) implements RemoteIdentity {
        public Dn {
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public IdentityType type() {
            return IdentityType.DN;
        }

        @Override
        public boolean matches(String presented) {
            try {
                return rule.matches(DistinguishedName.parse(presented));
            } catch (DnSyntaxException e) {
                return false;
            }
        }
    }
}
