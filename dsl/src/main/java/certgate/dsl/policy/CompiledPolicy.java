package certgate.dsl.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy that compiled: internally consistent (names unique, references resolved, DN rules well formed)
 * and immutable. {@code revision} is the SHA-256 (hex) of the source bytes; {@code sourceName} is the file
 * it was compiled from. Gateways are in file order, which is the order of lookup.
 */
public record CompiledPolicy(String sourceName, String revision, PkiSettings pki, List<CaProfile> caProfiles,
                             List<Gateway> gateways) {

    public CompiledPolicy {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(pki, "pki");
        caProfiles = List.copyOf(caProfiles);
        gateways = List.copyOf(gateways);
    }

    /**
     * The first gateway, in file order, whose remote identity has this type and matches the presented value
     * (ip as addresses; fqdn case-insensitively, trailing dot ignored; ufqdn local part exactly and domain
     * case-insensitively; dn by the gateway's container or wildcard rule). Empty when none does.
     */
    public Optional<Gateway> findGateway(IdentityType type, String value) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        return gateways.stream()
                .filter(g -> g.remoteIdentity().type() == type && g.remoteIdentity().matches(value))
                .findFirst();
    }

    public Optional<Gateway> gateway(String name) {
        return gateways.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public Optional<CaProfile> caProfile(String name) {
        return caProfiles.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
