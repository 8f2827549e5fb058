package certgate.adapters.export;

import certgate.dsl.dn.ContainerRule;
import certgate.dsl.dn.WildcardRule;
import certgate.dsl.policy.Authentication;
import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.OnDownloadFailure;
import certgate.dsl.policy.PathValidation;
import certgate.dsl.policy.RemoteIdentity;
import certgate.dsl.policy.RevocationMode;
import certgate.engine.PolicyDecisions;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code certgate export strongswan}: a swanctl configuration from a compiled policy and the store's CA
 * certificates, one connection per certificate gateway. The connection trusts no more than certgate would:
 * where strongSwan cannot express a rule exactly, the stricter form is written and a note says so; where no
 * stricter form exists, the gateway is left out with a note.
 *
 * <p>Mapping. {@code remote.id} is the gateway's identity: an IP address, an FQDN, or a DN rule. A {@code wildcard}
 * rule becomes a DN of the attributes it names, matched under {@code charon.rdn_matching = relaxed} (any order,
 * other RDNs ignored, {@code *} any value: the rule's own meaning); a {@code container} rule, which strongSwan
 * cannot match as a run anywhere in the subject, becomes the strict pattern of its RDNs under one common name.
 * {@code rdn_matching} is one setting for all of charon: relaxed when the policy has wildcard rules and no
 * container rule, else strict (relaxed matching would loosen every container), and then wildcard rules match
 * only the exact DN they name. E-mail identities are left out: strongSwan compares them without regard to case,
 * where the policy compares the local part exactly. {@code cacerts} are the CA certificates of the store that
 * the gateway's CA profile trusts (written to {@code x509ca/}), only self-signed ones under
 * {@code path-validation: full}; {@code revocation} is {@code strict}, or {@code ifuri} when the profile says
 * {@code on-download-failure: accept}, or {@code relaxed} (strongSwan's least) when it disables the check.
 * {@code authorities} name certgate's CRL and OCSP endpoints for each CA certificate, else the policy's URLs.
 *
 * <p>The output is a function of the policy and the store alone: same inputs, same bytes (files and notes in a
 * fixed order, no time stamps).
 */
public final class StrongSwanExport {
    /** The file beside swanctl.conf with the charon settings it needs, for strongswan.conf to include. */
    public static final String CHARON_SETTINGS = "strongswan-certgate.conf";
    /** Files this export writes into x509ca/ and x509/ start so; a new export replaces the old ones. */
    public static final String FILE_PREFIX = "certgate-";
    /** The subdirectories swanctl reads credentials from (it warns when one is missing). */
    public static final List<String> SWANCTL_DIRECTORIES = List.of("x509", "x509ca", "x509aa", "x509ocsp",
            "x509crl", "x509ac", "pubkey", "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12");

    /** A signature scheme constraint on the peer's trust chain that leaves SHA-1 (and MD5) out. */
    static final String SHA2_ONLY = "pubkey-sha256-sha384-sha512";

    private StrongSwanExport() {
    }

    /** Files by their path relative to the output directory, in path order; notes in the order they arose. */
    public record Result(SortedMap<String, String> files, int connections, List<String> notes) {
        public Result {
            files = new TreeMap<>(files);
            notes = List.copyOf(notes);
        }
    }

    /** How charon matches the RDNs of a DN identity, for the whole daemon. */
    enum RdnMatching {
        STRICT, RELAXED
    }

    public static Result export(CompiledPolicy policy, StoreCredentials store, CertgateUrls urls) {
        return new StrongSwanExport.Run(policy, store, urls).run();
    }

    private static final class Run {
        private final CompiledPolicy policy;
        private final StoreCredentials store;
        private final CertgateUrls urls;
        private final List<String> notes = new ArrayList<>();
        private final SortedMap<String, String> files = new TreeMap<>();
        private final SortedMap<String, StoreCredentials.Ca> authorities = new TreeMap<>();
        private final Map<String, SortedSet<String>> policyCrlUrls = new TreeMap<>();
        private final RdnMatching rdnMatching;
        private int connectionCount;

        Run(CompiledPolicy policy, StoreCredentials store, CertgateUrls urls) {
            this.policy = policy;
            this.store = store;
            this.urls = urls;
            boolean wildcards = false;
            boolean containers = false;
            for (Gateway gateway : certificateGateways()) {
                if (gateway.remoteIdentity() instanceof RemoteIdentity.Dn dn) {
                    wildcards |= dn.rule() instanceof WildcardRule;
                    containers |= dn.rule() instanceof ContainerRule;
                }
            }
            this.rdnMatching = wildcards && !containers ? RdnMatching.RELAXED : RdnMatching.STRICT;
        }

        private List<Gateway> certificateGateways() {
            return policy.gateways().stream().filter(g -> g.authentication() == Authentication.CERTIFICATE).toList();
        }

        Result run() {
            StringBuilder connections = new StringBuilder();
            Set<String> sections = new HashSet<>();
            for (Gateway gateway : policy.gateways()) {
                if (gateway.authentication() == Authentication.PRE_SHARED_KEY) {
                    note(gateway, "left out: it authenticates with a pre-shared key, which is not certgate's to"
                            + " decide (configure it in swanctl.conf's secrets yourself)");
                    continue;
                }
                String section = sectionName(gateway.name());
                if (!sections.add(section)) {
                    note(gateway, "left out: its connection name '" + section + "' (dots become '_', which"
                            + " swanctl.conf needs) is taken by an earlier gateway");
                    continue;
                }
                Optional<String> connection = connection(gateway, section);
                if (connection.isPresent()) {
                    connections.append(connection.get());
                    connectionCount++;
                }
            }
            if (connectionCount > 0 && !policy.pki().allowSha1Signatures()) {
                notes.add("all connections: the policy refuses SHA-1 signatures: remote.auth = " + SHA2_ONLY
                        + " constrains the peer's chain (and its IKE signature) to SHA-2, which also refuses"
                        + " Ed25519 signatures");
            }
            if (policy.pki().maxCaLevels() != 7) {
                notes.add("all connections: max-ca-levels " + policy.pki().maxCaLevels() + " is not expressed;"
                        + " charon applies its own path length limit");
            }
            files.put("swanctl.conf", swanctlConf(connections));
            files.put(CHARON_SETTINGS, charonSettings());
            return new Result(files, connectionCount, notes);
        }

        private Optional<String> connection(Gateway gateway, String section) {
            Optional<String> id = remoteId(gateway);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            CaProfile profile = gateway.caProfile().orElseThrow();
            List<String> cacerts = new ArrayList<>();
            Optional<String> caId = Optional.empty();
            if (store.given()) {
                List<StoreCredentials.Ca> trusted = store.cas().stream()
                        .filter(ca -> PolicyDecisions.trusts(profile).test(ca.info())).toList();
                if (policy.pki().pathValidation() == PathValidation.FULL) {
                    List<StoreCredentials.Ca> roots = trusted.stream()
                            .filter(ca -> ca.info().subject().equals(ca.info().issuer())).toList();
                    if (roots.size() < trusted.size()) {
                        note(gateway, "path-validation full: only the self-signed CA certificates of profile "
                                + profile.name() + " are its cacerts (" + (trusted.size() - roots.size())
                                + " intermediate(s) left out)");
                    }
                    trusted = roots;
                }
                if (trusted.isEmpty()) {
                    note(gateway, "left out: the store holds no CA certificate that CA profile " + profile.name()
                            + " trusts (load one with 'certgate load ca FILE --profile " + profile.name() + "')");
                    return Optional.empty();
                }
                for (StoreCredentials.Ca ca : trusted) {
                    String name = caFileName(ca);
                    cacerts.add(name);
                    authorities.put(name, ca);
                    files.put("x509ca/" + name, pem(ca.der().bytes()));
                    policyCrlUrl(profile).ifPresent(url -> policyCrlUrls
                            .computeIfAbsent(name, k -> new TreeSet<>()).add(url));
                }
            } else if (profile.caIdentity().isPresent()) {
                try {
                    caId = Optional.of(StrongSwanIds.exact(profile.caIdentity().get()));
                } catch (StrongSwanIds.Inexpressible e) {
                    note(gateway, "left out: without --store its CA can only be named by ca-identity '"
                            + profile.caIdentity().get() + "', and " + e.getMessage());
                    return Optional.empty();
                }
                note(gateway, "without --store: no CA certificate is written; ca_id restricts the peer's chain to"
                        + " a CA named '" + profile.caIdentity().get() + "', which charon must hold");
            } else {
                note(gateway, "left out: without --store and without a ca-identity in CA profile "
                        + profile.name() + ", nothing would restrict the CAs charon trusts for it");
                return Optional.empty();
            }
            StringBuilder out = new StringBuilder();
            out.append("    ").append(section).append(" {\n");
            out.append("        # gateway ").append(gateway.name()).append(", CA profile ").append(profile.name())
                    .append('\n');
            out.append("        remote_addrs = %any\n");
            out.append("        local {\n");
            out.append("            auth = pubkey\n");
            Optional<StoreCredentials.Local> local = store.localFor(gateway.name());
            if (local.isPresent()) {
                String name = FILE_PREFIX + "local-" + local.get().der().sha256Hex().substring(0, 16) + ".pem";
                files.put("x509/" + name, pem(local.get().der().bytes()));
                out.append("            certs = ").append(name).append('\n');
            } else if (store.given()) {
                note(gateway, "the store holds no own certificate of this gateway: set local.certs yourself"
                        + " (or load one with 'certgate load local')");
            }
            out.append("        }\n");
            out.append("        remote {\n");
            out.append("            auth = ").append(policy.pki().allowSha1Signatures() ? "pubkey" : SHA2_ONLY)
                    .append('\n');
            out.append("            id = \"").append(id.get()).append("\"\n");
            if (!cacerts.isEmpty()) {
                out.append("            cacerts = ").append(String.join(", ", cacerts)).append('\n');
            }
            caId.ifPresent(dn -> out.append("            ca_id = \"").append(dn).append("\"\n"));
            out.append("            revocation = ").append(revocation(gateway, profile)).append('\n');
            out.append("        }\n");
            out.append("    }\n");
            return Optional.of(out.toString());
        }

        private Optional<String> remoteId(Gateway gateway) {
            RemoteIdentity identity = gateway.remoteIdentity();
            if (identity instanceof RemoteIdentity.Ip ip) {
                return Optional.of(ip.address().toString());
            }
            if (identity instanceof RemoteIdentity.Fqdn fqdn) {
                return Optional.of(fqdn.name());
            }
            if (identity instanceof RemoteIdentity.Ufqdn) {
                note(gateway, "left out: strongSwan compares e-mail identities without regard to case, and the"
                        + " policy compares the local part exactly; no stricter form exists");
                return Optional.empty();
            }
            RemoteIdentity.Dn dn = (RemoteIdentity.Dn) identity;
            try {
                if (dn.rule() instanceof WildcardRule wildcard) {
                    String id = StrongSwanIds.wildcard(wildcard);
                    if (rdnMatching == RdnMatching.STRICT) {
                        note(gateway, "its wildcard rule '" + wildcard.pattern() + "' is written as the exact DN '"
                                + id + "': charon.rdn_matching stays strict because the policy has container rules,"
                                + " which relaxed matching would loosen; it accepts fewer peers than the policy");
                    }
                    return Optional.of(id);
                }
                ContainerRule container = (ContainerRule) dn.rule();
                String id = StrongSwanIds.container(container);
                note(gateway, "strongSwan cannot match a container rule as a run anywhere in the subject; '"
                        + container.pattern() + "' is written as the strict pattern '" + id + "', which accepts"
                        + " fewer peers than the policy");
                return Optional.of(id);
            } catch (StrongSwanIds.Inexpressible e) {
                note(gateway, "left out: its DN rule '" + dn.rule().pattern() + "' cannot be written for strongSwan: "
                        + e.getMessage());
                return Optional.empty();
            }
        }

        private String revocation(Gateway gateway, CaProfile profile) {
            if (profile.revocationCheck().mode() == RevocationMode.DISABLE) {
                note(gateway, "CA profile " + profile.name() + " disables the revocation check; strongSwan cannot:"
                        + " revocation = relaxed (a certificate known to be revoked is refused)");
                return "relaxed";
            }
            return profile.revocationCheck().onDownloadFailure() == OnDownloadFailure.ACCEPT ? "ifuri" : "strict";
        }

        private Optional<String> policyCrlUrl(CaProfile profile) {
            if (profile.revocationCheck().mode() == RevocationMode.DISABLE) {
                return Optional.empty();
            }
            Optional<String> url = profile.revocationCheck().crlUrl().or(() -> policy.pki().defaultCdp())
                    .map(URI::toString);
            if (url.isPresent() && !plainUrl(url.get())) {
                String note = "CA profile " + profile.name() + ": its CRL URL '" + url.get() + "' holds characters"
                        + " a crl_uris list cannot carry (',', quotes, braces); not written, so charon uses the"
                        + " distribution points in the certificates (--crl-url names certgate's instead)";
                if (!notes.contains(note)) {
                    notes.add(note);
                }
                return Optional.empty();
            }
            return url;
        }

        private String swanctlConf(CharSequence connections) {
            StringBuilder out = new StringBuilder();
            out.append("# Written by 'certgate export strongswan' from ")
                    .append(comment(fileName(policy))).append(" (revision ")
                    .append(policy.revision(), 0, Math.min(12, policy.revision().length())).append(").\n");
            out.append("# Export again when the policy or the store changes: edits here are lost.\n");
            out.append("# charon needs the settings in ").append(CHARON_SETTINGS).append(" (include it in"
                    + " strongswan.conf).\n");
            for (String note : notes) {
                out.append("# note: ").append(comment(note)).append('\n');
            }
            out.append("connections {\n").append(connections).append("}\n");
            out.append("authorities {\n");
            for (Map.Entry<String, StoreCredentials.Ca> entry : authorities.entrySet()) {
                String name = entry.getKey();
                String sha256 = entry.getValue().info().sha256();
                List<String> crls = urls.issuerCrl(sha256).map(List::of)
                        .orElseGet(() -> List.copyOf(policyCrlUrls.getOrDefault(name, new TreeSet<>())));
                out.append("    ").append(name.substring(0, name.length() - ".pem".length())).append(" {\n");
                out.append("        # ").append(comment(entry.getValue().info().subject())).append('\n');
                out.append("        cacert = ").append(name).append('\n');
                if (!crls.isEmpty()) {
                    out.append("        crl_uris = ").append(String.join(", ", crls)).append('\n');
                }
                urls.ocsp().ifPresent(ocsp -> out.append("        ocsp_uris = ").append(ocsp).append('\n'));
                out.append("    }\n");
            }
            out.append("}\n");
            return out.toString();
        }

        private String charonSettings() {
            return "# Written by 'certgate export strongswan': the charon settings its swanctl.conf needs.\n"
                    + "# Include this file in strongswan.conf.\n"
                    + "charon {\n"
                    + "    rdn_matching = " + (rdnMatching == RdnMatching.RELAXED ? "relaxed" : "strict") + "\n"
                    + "}\n";
        }

        private void note(Gateway gateway, String text) {
            notes.add("gateway " + gateway.name() + ": " + text);
        }
    }

    /** A swanctl.conf section name: the settings syntax reads '.' as a path separator. */
    static String sectionName(String gatewayName) {
        return gatewayName.replace('.', '_');
    }

    static String caFileName(StoreCredentials.Ca ca) {
        return FILE_PREFIX + "ca-" + ca.info().sha256().substring(0, 16) + ".pem";
    }

    /** A URL swanctl.conf can hold unquoted in a comma-separated list. */
    static boolean plainUrl(String url) {
        return url.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',' && c != '"' && c != '\\'
                && c != '{' && c != '}' && c != '#');
    }

    static String pem(byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }

    /** The policy's file name, without its directory: the output does not depend on where it was read. */
    static String fileName(CompiledPolicy policy) {
        String source = policy.sourceName();
        return source.substring(source.lastIndexOf('/') + 1);
    }

    /** Text for a '#' comment: one line of printable ASCII, whatever a certificate's subject holds. */
    static String comment(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }
}
