package certgate.dsl;

import certgate.dsl.YamlNode.Location;
import certgate.dsl.YamlNode.Mapping;
import certgate.dsl.YamlNode.Scalar;
import certgate.dsl.YamlNode.ScalarKind;
import certgate.dsl.YamlNode.Sequence;
import certgate.dsl.dn.ContainerRule;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.DnRule;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.dn.WildcardRule;
import certgate.dsl.policy.Authentication;
import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.HostName;
import certgate.dsl.policy.IpAddress;
import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.Keyword;
import certgate.dsl.policy.LocalCertificate;
import certgate.dsl.policy.LocalIdentity;
import certgate.dsl.policy.OnDownloadFailure;
import certgate.dsl.policy.PathValidation;
import certgate.dsl.policy.PkiSettings;
import certgate.dsl.policy.RemoteIdentity;
import certgate.dsl.policy.RevocationCheck;
import certgate.dsl.policy.RevocationMode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link CompiledPolicy} from a tree that {@link StructureCheck} has seen, and checks what needs the
 * whole file: unique names, CA profile references, wildcard DN rules, and unreachable gateways. It runs even
 * when the structure check found errors, to report these too, so every read here tolerates a broken tree:
 * a value that is malformed (already reported) is simply absent.
 */
final class PolicyBuilder {
    private final Reporter reporter;
    private final Optional<LoadedLocalCertificates> store;
    private final Map<String, CaProfile> profiles = new LinkedHashMap<>();
    private final Map<String, Location> profileNames = new LinkedHashMap<>();

    /**
     * @param store the local certificates of a store, to check the gateways' local-certificate references
     *              against; empty when no store is given (the references are then not checked)
     */
    PolicyBuilder(Reporter reporter, Optional<LoadedLocalCertificates> store) {
        this.reporter = reporter;
        this.store = store;
    }

    /** The policy, when the file has no error at all. */
    Optional<CompiledPolicy> build(Mapping root, String sourceName, String revision) {
        Optional<Mapping> pki = mapping(root, "pki");
        PkiSettings settings = pki.map(this::pkiSettings).orElse(PkiSettings.DEFAULTS);
        pki.flatMap(p -> sequence(p, "ca-profiles")).ifPresent(list -> caProfiles(list, "pki.ca-profiles"));
        List<Located> gateways = mapping(root, "ike").flatMap(ike -> sequence(ike, "gateways"))
                .map(list -> gateways(list, "ike.gateways")).orElse(List.of());
        Reachability.warn(gateways, reporter);
        if (reporter.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new CompiledPolicy(sourceName, revision, settings, List.copyOf(profiles.values()),
                gateways.stream().map(Located::gateway).toList()));
    }

    /** A gateway with where its remote identity was written, for warnings about it. */
    record Located(Gateway gateway, Location identityAt, String path) {
    }

    private PkiSettings pkiSettings(Mapping pki) {
        PathValidation pathValidation = choice(pki, "path-validation", PathValidation.class)
                .orElse(PathValidation.PARTIAL);
        int maxCaLevels = integer(pki, "max-ca-levels").filter(v -> v >= 1 && v <= 16).orElse(7);
        Duration clockSkew = duration(pki, "clock-skew").orElse(Duration.ZERO);
        boolean sha1 = scalar(pki, "allow-sha1-signatures").filter(s -> s.scalarKind() == ScalarKind.BOOLEAN)
                .map(s -> s.text().equalsIgnoreCase("true")).orElse(false);
        return new PkiSettings(pathValidation, maxCaLevels, clockSkew, sha1, url(pki, "default-cdp"));
    }

    private void caProfiles(Sequence list, String path) {
        for (int i = 0; i < list.items().size(); i++) {
            if (!(list.items().get(i) instanceof Mapping item)) {
                continue;
            }
            String itemPath = path + "[" + i + "]";
            Optional<String> name = uniqueName(item, itemPath, profileNames, "CA profile");
            Optional<DistinguishedName> caIdentity = text(item, "ca-identity", TextFormat.DN)
                    .flatMap(PolicyBuilder::dn);
            RevocationCheck revocation = mapping(item, "revocation-check").map(this::revocationCheck)
                    .orElse(RevocationCheck.DEFAULTS);
            name.ifPresent(n -> profiles.put(n, new CaProfile(n, caIdentity, revocation)));
        }
    }

    private RevocationCheck revocationCheck(Mapping check) {
        RevocationMode mode = choice(check, "mode", RevocationMode.class).orElse(RevocationMode.CRL);
        Optional<Mapping> crl = mapping(check, "crl");
        return new RevocationCheck(mode,
                crl.map(c -> urls(c, "url")).orElse(List.of()),
                crl.flatMap(c -> duration(c, "refresh-interval")).orElse(Duration.ZERO),
                crl.flatMap(c -> choice(c, "on-download-failure", OnDownloadFailure.class))
                        .orElse(OnDownloadFailure.REJECT),
                crl.flatMap(c -> mapping(c, "ldap-bind")).flatMap(PolicyBuilder::ldapBind));
    }

    /** One URL or a list of them (each malformed one already reported, and left out). */
    private static List<URI> urls(Mapping parent, String key) {
        Optional<Sequence> list = sequence(parent, key);
        if (list.isEmpty()) {
            return url(parent, key).map(List::of).orElse(List.of());
        }
        List<URI> out = new ArrayList<>();
        for (YamlNode item : list.get().items()) {
            if (item instanceof Scalar scalar && scalar.scalarKind() == ScalarKind.STRING
                    && TextFormat.URL.check(scalar.text()).isEmpty()) {
                out.add(URI.create(scalar.text()));
            }
        }
        return out;
    }

    private static Optional<RevocationCheck.LdapBind> ldapBind(Mapping bind) {
        Optional<String> dn = text(bind, "dn", TextFormat.DN);
        Optional<String> file = text(bind, "password-file", TextFormat.PATH);
        Optional<String> env = text(bind, "password-env", TextFormat.ENV_NAME);
        if (dn.isEmpty() || file.isPresent() == env.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new RevocationCheck.LdapBind(dn.get(), file, env));
    }

    private List<Located> gateways(Sequence list, String path) {
        Map<String, Location> names = new LinkedHashMap<>();
        List<Located> out = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            if (!(list.items().get(i) instanceof Mapping item)) {
                continue;
            }
            String itemPath = path + "[" + i + "]";
            Optional<String> name = uniqueName(item, itemPath, names, "gateway");
            Authentication authentication = choice(item, "authentication", Authentication.class)
                    .orElse(Authentication.CERTIFICATE);
            Optional<CaProfile> profile = Optional.empty();
            if (authentication == Authentication.CERTIFICATE) {
                profile = reference(item, itemPath);
            }
            Optional<Mapping> identityNode = mapping(item, "remote-identity");
            Optional<RemoteIdentity> identity = identityNode
                    .flatMap(node -> identity(node, StructureCheck.join(itemPath, "remote-identity")));
            boolean complete = name.isPresent() && identity.isPresent()
                    && (authentication == Authentication.PRE_SHARED_KEY || profile.isPresent())
                    && !(authentication == Authentication.PRE_SHARED_KEY
                    && identity.get() instanceof RemoteIdentity.Dn);
            Optional<LocalIdentity> localIdentity = mapping(item, "local-identity").flatMap(this::localIdentity);
            Optional<LocalCertificate> localCertificate = mapping(item, "local-certificate")
                    .flatMap(PolicyBuilder::localCertificate);
            if (authentication == Authentication.PRE_SHARED_KEY) {
                // Reported by the structure check: a dn identity is refused, a certificate has no effect.
                localIdentity = localIdentity.filter(id -> id.type() != IdentityType.DN);
                localCertificate = Optional.empty();
            }
            if (localCertificate.isPresent()) {
                localReferences(item, itemPath, localIdentity, localCertificate.get());
            }
            if (complete) {
                out.add(new Located(new Gateway(name.get(), authentication, profile, identity.get(), localIdentity,
                        localCertificate), identityNode.get().location(),
                        StructureCheck.join(itemPath, "remote-identity")));
            }
        }
        return out;
    }

    private Optional<CaProfile> reference(Mapping gateway, String path) {
        Optional<Scalar> node = scalar(gateway, "ca-profile");
        Optional<String> name = text(gateway, "ca-profile", TextFormat.NAME);
        if (node.isEmpty() || name.isEmpty()) {
            return Optional.empty();
        }
        CaProfile profile = profiles.get(name.get());
        if (profile == null && !profileNames.containsKey(name.get())) {
            List<String> known = List.copyOf(profileNames.keySet());
            String help = Suggestions.closest(name.get(), known).map(c -> "did you mean `" + c + "`?")
                    .orElse(known.isEmpty() ? "define it under pki.ca-profiles"
                            : "defined CA profiles: " + Suggestions.quoted(known));
            reporter.error(DiagnosticCode.UNKNOWN_CA_PROFILE, node.get().location(),
                    StructureCheck.join(path, "ca-profile"), "no CA profile is named `" + name.get() + "`", help);
        }
        return Optional.ofNullable(profile);
    }

    private Optional<RemoteIdentity> identity(Mapping identity, String path) {
        List<RemoteIdentity> found = new ArrayList<>();
        text(identity, "ip", TextFormat.IP).flatMap(IpAddress::parse).map(RemoteIdentity.Ip::new).ifPresent(found::add);
        text(identity, "fqdn", TextFormat.FQDN).flatMap(HostName::fqdn).map(RemoteIdentity.Fqdn::new)
                .ifPresent(found::add);
        text(identity, "ufqdn", TextFormat.EMAIL).flatMap(HostName::mailbox).map(RemoteIdentity.Ufqdn::new)
                .ifPresent(found::add);
        mapping(identity, "dn").flatMap(dn -> dnRule(dn, StructureCheck.join(path, "dn")))
                .map(RemoteIdentity.Dn::new).ifPresent(found::add);
        // Exactly one kind, or the structure check has reported it.
        return identity.entries().size() == 1 && found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    private Optional<LocalIdentity> localIdentity(Mapping identity) {
        List<LocalIdentity> found = new ArrayList<>();
        for (IdentityType type : IdentityType.values()) {
            TextFormat format = switch (type) {
                case IP -> TextFormat.IP;
                case FQDN -> TextFormat.FQDN;
                case UFQDN -> TextFormat.EMAIL;
                case DN -> TextFormat.DN;
            };
            text(identity, type.keyword(), format).flatMap(value -> LocalIdentity.of(type, value))
                    .ifPresent(found::add);
        }
        // Exactly one kind, or the structure check has reported it.
        return identity.entries().size() == 1 && found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    private static Optional<LocalCertificate> localCertificate(Mapping certificate) {
        if (certificate.entries().size() != 1) {
            return Optional.empty(); // reported by the structure check
        }
        Optional<LocalCertificate> bySubject = text(certificate, "subject", TextFormat.DN).flatMap(PolicyBuilder::dn)
                .map(LocalCertificate.BySubject::new);
        return bySubject.or(() -> text(certificate, "sha256", TextFormat.SHA256).map(TextFormat::sha256)
                .map(LocalCertificate.BySha256::new));
    }

    /**
     * A dn local identity is the subject of the certificate the gateway presents, so a local-certificate named
     * by another subject cannot be the one; and with a store, the certificate named must be loaded there and
     * hold the local identity.
     */
    private void localReferences(Mapping gateway, String path, Optional<LocalIdentity> identity,
            LocalCertificate certificate) {
        Location at = mapping(gateway, "local-certificate").orElseThrow().location();
        String certificatePath = StructureCheck.join(path, "local-certificate");
        if (identity.isPresent() && certificate instanceof LocalCertificate.BySubject bySubject
                && identity.get().dn().isPresent() && !identity.get().dn().get().sameAs(bySubject.subject())) {
            reporter.error(DiagnosticCode.LOCAL_IDENTITY_NOT_CERTIFIED, at, certificatePath, "the local-identity is"
                    + " dn `" + identity.get().value() + "`, but the local-certificate's subject is `"
                    + bySubject.subject() + "`", "a dn identity is the subject of the certificate the gateway"
                    + " presents: name the same DN in both");
        }
        if (store.isEmpty()) {
            return;
        }
        List<LoadedLocalCertificates.Loaded> named = store.get().certificates().stream()
                .filter(loaded -> certificate.names(loaded.sha256(), loaded.subject())).toList();
        if (named.isEmpty()) {
            List<String> subjects = store.get().certificates().stream().map(c -> "`" + c.subject() + "`")
                    .distinct().toList();
            reporter.error(DiagnosticCode.UNKNOWN_LOCAL_CERTIFICATE, at, certificatePath, "no local certificate"
                    + " loaded in the store has " + certificate, subjects.isEmpty()
                    ? "the store holds no local certificate: load it with 'certgate load local CERT --key KEY'"
                    : "the store's local certificates: " + String.join(", ", subjects));
            return;
        }
        if (identity.isPresent() && named.stream().noneMatch(loaded -> loaded.holds(identity.get()))) {
            reporter.error(DiagnosticCode.LOCAL_IDENTITY_NOT_CERTIFIED, at, certificatePath, "the local"
                    + " certificate with " + certificate + " does not hold the local-identity " + identity.get()
                    + (identity.get().type() == IdentityType.DN ? " as its subject" : " in its subjectAltName"),
                    "request a certificate that holds it: 'certgate request --gateway NAME --policy FILE'");
        }
    }

    private Optional<DnRule> dnRule(Mapping dn, String path) {
        Optional<DistinguishedName> container = text(dn, "container", TextFormat.DN).flatMap(PolicyBuilder::dn);
        Optional<DistinguishedName> wildcard = text(dn, "wildcard", TextFormat.DN).flatMap(PolicyBuilder::dn);
        container.ifPresent(pattern -> literalAsterisks(pattern, dn, path));
        Optional<DnRule> rule = container.map(ContainerRule::new);
        if (wildcard.isPresent() && !repeatedType(wildcard.get(), dn, path)) {
            rule = wildcard.map(WildcardRule::new);
        }
        // Both or neither given: the structure check has reported it.
        return dn.entries().size() == 1 ? rule : Optional.empty();
    }

    private boolean repeatedType(DistinguishedName pattern, Mapping dn, String path) {
        Map<String, DnAttribute> first = new LinkedHashMap<>();
        for (var rdn : pattern.rdns()) {
            for (DnAttribute attribute : rdn.attributes()) {
                DnAttribute earlier = first.putIfAbsent(attribute.oid(), attribute);
                if (earlier != null) {
                    Scalar at = scalar(dn, "wildcard").orElseThrow();
                    reporter.error(DiagnosticCode.WILDCARD_REPEATED_TYPE, at.location(),
                            StructureCheck.join(path, "wildcard"), "the wildcard names " + attribute.keyword()
                                    + " twice (" + earlier + " and " + attribute + ")",
                            "a wildcard compares each named type once; for repeated types such as two OUs use"
                                    + " `container: \"" + pattern + "\"` with the RDNs in the order of the"
                                    + " peer's subject");
                    return true;
                }
            }
        }
        return false;
    }

    private void literalAsterisks(DistinguishedName pattern, Mapping dn, String path) {
        boolean star = pattern.rdns().stream().flatMap(r -> r.attributes().stream())
                .anyMatch(a -> a.value().equals(WildcardRule.ANY));
        if (star) {
            reporter.warning(DiagnosticCode.LITERAL_ASTERISK, scalar(dn, "container").orElseThrow().location(),
                    StructureCheck.join(path, "container"), "a container compares values exactly: `*` matches"
                            + " only a literal '*'", "to accept any value of an attribute, use `wildcard`");
        }
    }

    private Optional<String> uniqueName(Mapping item, String path, Map<String, Location> seen, String what) {
        Optional<String> name = text(item, "name", TextFormat.NAME);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Location at = scalar(item, "name").orElseThrow().location();
        Location first = seen.putIfAbsent(name.get(), at);
        if (first != null) {
            reporter.error(DiagnosticCode.DUPLICATE_NAME, at, StructureCheck.join(path, "name"),
                    "the " + what + " name `" + name.get() + "` is already used (line " + first.line() + ")",
                    "give every " + what + " its own name");
            return Optional.empty();
        }
        return name;
    }

    // Tolerant readers: a value that is absent or malformed (and so already reported) reads as empty.

    private static Optional<Mapping> mapping(Mapping parent, String key) {
        return parent.get(key).filter(Mapping.class::isInstance).map(Mapping.class::cast);
    }

    private static Optional<Sequence> sequence(Mapping parent, String key) {
        return parent.get(key).filter(Sequence.class::isInstance).map(Sequence.class::cast);
    }

    private static Optional<Scalar> scalar(Mapping parent, String key) {
        return parent.get(key).filter(Scalar.class::isInstance).map(Scalar.class::cast);
    }

    private static Optional<String> text(Mapping parent, String key, TextFormat format) {
        return scalar(parent, key).filter(s -> s.scalarKind() == ScalarKind.STRING).map(Scalar::text)
                .filter(t -> format.check(t).isEmpty());
    }

    private static <E extends Enum<E> & Keyword> Optional<E> choice(Mapping parent, String key, Class<E> type) {
        return scalar(parent, key).flatMap(s -> Keyword.parse(type, s.text()));
    }

    private static Optional<Integer> integer(Mapping parent, String key) {
        return scalar(parent, key).filter(s -> s.scalarKind() == ScalarKind.INTEGER && s.text().matches("[0-9]{1,9}"))
                .map(s -> Integer.parseInt(s.text()));
    }

    private static Optional<Duration> duration(Mapping parent, String key) {
        return scalar(parent, key).flatMap(Durations::parse);
    }

    private static Optional<URI> url(Mapping parent, String key) {
        return text(parent, key, TextFormat.URL).map(URI::create);
    }

    private static Optional<DistinguishedName> dn(String text) {
        try {
            return Optional.of(DistinguishedName.parse(text)).filter(dn -> !dn.isEmpty());
        } catch (DnSyntaxException e) {
            return Optional.empty();
        }
    }
}
