package certgate.dsl;

import certgate.dsl.policy.Authentication;
import certgate.dsl.policy.Keyword;
import certgate.dsl.policy.OnDownloadFailure;
import certgate.dsl.policy.PathValidation;
import certgate.dsl.policy.RevocationMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The language, version 1, as data: every mapping with its allowed keys, their types, defaults and
 * descriptions, the allowed words of every enum, and the rules that tie keys together. The compiler's key
 * tables and checks are read from this model, and {@code policies/policy.schema.json} is written from it
 * ({@link #jsonSchema()}), so the two cannot drift.
 */
public final class PolicySchema {
    public static final int VERSION = 1;

    private PolicySchema() {
    }

    /** The JSON Schema (draft 2020-12) of the language, as checked in at policies/policy.schema.json. */
    public static String jsonSchema() {
        return SchemaWriter.write(ROOT);
    }

    sealed interface Shape permits MappingShape, ListShape, ScalarShape, OneOrList {
    }

    record Field(String key, Shape shape, boolean required, Optional<String> defaultValue, String description) {
    }

    /** A mapping: its keys, rules between them, and Junos keywords that mean one of its keys. */
    record MappingShape(String description, List<Field> fields, List<Rule> rules, Map<String, String> junosSpellings)
            implements Shape {
        MappingShape {
            fields = List.copyOf(fields);
            rules = List.copyOf(rules);
            junosSpellings = Map.copyOf(junosSpellings);
        }

        Optional<Field> field(String key) {
            return fields.stream().filter(f -> f.key().equals(key)).findFirst();
        }

        List<String> keys() {
            return fields.stream().map(Field::key).toList();
        }
    }

    record ListShape(Shape items) implements Shape {
    }

    record ScalarShape(ValueType type) implements Shape {
    }

    /** One value, or a list of 1 to {@code maxItems} of them (Junos allows up to 3 CRL URLs per CA profile). */
    record OneOrList(ScalarShape item, int maxItems) implements Shape {
    }

    sealed interface ValueType permits VersionNumber, IntegerRange, Flag, Choice, Text, Span {
    }

    record VersionNumber(int value) implements ValueType {
    }

    record IntegerRange(int min, int max) implements ValueType {
    }

    record Flag() implements ValueType {
    }

    record Choice(List<String> values) implements ValueType {
        static <E extends Enum<E> & Keyword> Choice of(Class<E> type) {
            return new Choice(Keyword.keywords(type));
        }
    }

    record Text(TextFormat format) implements ValueType {
    }

    /** A duration: 0, or digits and a unit (s, m, h, d), at most {@code max}. */
    record Span(Duration max) implements ValueType {
    }

    /** A constraint between keys of one mapping. */
    sealed interface Rule permits ExactlyOne, RequiredUnless, ForbiddenWhen, IgnoredWhen {
    }

    /** Exactly one of {@code keys} is present. */
    record ExactlyOne(List<String> keys, DiagnosticCode code) implements Rule {
    }

    /** {@code key} is required unless {@code otherKey} has the value {@code otherValue}. */
    record RequiredUnless(String key, String otherKey, String otherValue) implements Rule {
    }

    /** When {@code otherKey} has {@code otherValue}, the key {@code nested} inside {@code key} is an error. */
    record ForbiddenWhen(String otherKey, String otherValue, String key, String nested, DiagnosticCode code,
                         String message) implements Rule {
    }

    /** When {@code otherKey} has {@code otherValue}, {@code key} has no effect: a warning. */
    record IgnoredWhen(String key, String otherKey, String otherValue, String why) implements Rule {
    }

    static final String PRE_SHARED_KEY = Authentication.PRE_SHARED_KEY.keyword();

    /** The most CRL URLs one CA profile may name, as in Junos. */
    static final int MAX_CRL_URLS = 3;

    static final MappingShape LDAP_BIND = mapping("A simple bind for the profile's ldap:// and ldaps:// URLs (anonymous"
                    + " without it):"
                    + " the bind DN, and where the password is read when a fetch needs it, never the password itself.",
            List.of(new ExactlyOne(List.of("password-file", "password-env"), DiagnosticCode.LDAP_PASSWORD_SOURCE)),
            Map.of(),
            required("dn", text(TextFormat.DN), "The DN to bind as (RFC 4514)."),
            optional("password-file", text(TextFormat.PATH), "A file whose first line is the password (keep it"
                    + " readable by its owner only); a relative path is taken from the working directory."),
            optional("password-env", text(TextFormat.ENV_NAME), "The name of an environment variable that holds"
                    + " the password."));

    static final MappingShape CRL = mapping("Where and how often the profile's CRL is fetched.", List.of(),
            Map.of(),
            optional("url", new OneOrList(text(TextFormat.URL), MAX_CRL_URLS), "The profile's own CRL distribution"
                    + " points, tried in order after the certificate's own CDP: one URL or a list of up to "
                    + MAX_CRL_URLS + "; http://, https://, ldap:// or ldaps://, without credentials."),
            optional("refresh-interval", span(Duration.ofDays(365)), "0", "How often to fetch the CRL again;"
                    + " 0 means at the CRL's nextUpdate."),
            optional("on-download-failure", Choice.of(OnDownloadFailure.class), "reject", "What a decision does"
                    + " when no usable CRL covers a certificate: reject (fail closed) or accept."),
            optional("ldap-bind", LDAP_BIND, "A simple bind for ldap:// and ldaps:// URLs; anonymous without it."));

    static final MappingShape REVOCATION_CHECK = mapping("How certificates under this profile are checked for"
                    + " revocation.",
            List.of(new IgnoredWhen("crl", "mode", RevocationMode.DISABLE.keyword(),
                    "revocation checking is disabled for this profile")),
            Map.of(),
            optional("mode", Choice.of(RevocationMode.class), "crl", "crl: check CRLs; disable: do not check."),
            optional("crl", CRL, "CRL settings."));

    static final MappingShape CA_PROFILE = mapping("A CA profile: a trusted CA and how its certificates are"
                    + " checked.", List.of(), Map.of(),
            required("name", text(TextFormat.NAME), "The profile's name, referred to by gateways' ca-profile."),
            optional("ca-identity", text(TextFormat.DN), "The subject (RFC 4514) a CA certificate loaded under"
                    + " this profile must have."),
            optional("revocation-check", REVOCATION_CHECK, "Revocation checking."));

    static final MappingShape DN_IDENTITY = mapping("A DN rule: exactly one of container and wildcard.",
            List.of(new ExactlyOne(List.of("container", "wildcard"), DiagnosticCode.DN_RULE_KIND)), Map.of(),
            optional("container", text(TextFormat.DN), "The RDNs must appear in the peer's subject as one"
                    + " contiguous run, in this order, values equal (repeated types such as two OUs allowed)."),
            optional("wildcard", text(TextFormat.DN), "Every attribute named must be present in the peer's"
                    + " subject with an equal value (* for any value), in any order; others are ignored."));

    static final MappingShape REMOTE_IDENTITY = mapping("The IKE ID that selects this gateway: exactly one of ip,"
                    + " fqdn, ufqdn, dn.",
            List.of(new ExactlyOne(List.of("ip", "fqdn", "ufqdn", "dn"), DiagnosticCode.IDENTITY_KIND)),
            junos(),
            optional("ip", text(TextFormat.IP), "An IPv4 or IPv6 address, compared as an address."),
            optional("fqdn", text(TextFormat.FQDN), "A DNS name, compared case-insensitively."),
            optional("ufqdn", text(TextFormat.EMAIL), "An e-mail address (user@domain)."),
            optional("dn", DN_IDENTITY, "A DN rule for the peer's subject (certificate gateways only)."));

    static final MappingShape LOCAL_IDENTITY = mapping("The IKE ID this gateway presents to its peers (Junos"
                    + " local-identity): exactly one of ip, fqdn, ufqdn, dn. Its certificate holds it: ip, fqdn and"
                    + " ufqdn in subjectAltName, dn as the subject.",
            List.of(new ExactlyOne(List.of("ip", "fqdn", "ufqdn", "dn"), DiagnosticCode.LOCAL_IDENTITY_KIND)),
            junos(),
            optional("ip", text(TextFormat.IP), "An IPv4 or IPv6 address."),
            optional("fqdn", text(TextFormat.FQDN), "A DNS name."),
            optional("ufqdn", text(TextFormat.EMAIL), "An e-mail address (user@domain)."),
            optional("dn", text(TextFormat.DN), "The subject of the gateway's certificate, RFC 4514 text: one name,"
                    + " not a rule (certificate gateways only)."));

    static final MappingShape LOCAL_CERTIFICATE = mapping("The certificate this gateway presents (Junos"
                    + " local-certificate), loaded with 'certgate load local': exactly one of subject and sha256.",
            List.of(new ExactlyOne(List.of("subject", "sha256"), DiagnosticCode.LOCAL_CERTIFICATE_KIND)),
            Map.of(),
            optional("subject", text(TextFormat.DN), "Its subject, RFC 4514 text: any loaded local certificate of"
                    + " that subject (a renewal needs no change of policy)."),
            optional("sha256", text(TextFormat.SHA256), "The SHA-256 fingerprint of its DER: exactly that"
                    + " certificate."));

    static final MappingShape GATEWAY = mapping("An IKE gateway. Gateways are looked up in file order: the"
                    + " first whose remote identity matches the peer's IKE ID is used.",
            List.of(new RequiredUnless("ca-profile", "authentication", PRE_SHARED_KEY),
                    new ForbiddenWhen("authentication", PRE_SHARED_KEY, "remote-identity", "dn",
                            DiagnosticCode.PSK_WITH_DN, "a pre-shared-key gateway cannot use a dn identity"),
                    new IgnoredWhen("ca-profile", "authentication", PRE_SHARED_KEY,
                            "a pre-shared-key gateway never checks certificates"),
                    new ForbiddenWhen("authentication", PRE_SHARED_KEY, "local-identity", "dn",
                            DiagnosticCode.PSK_WITH_DN, "a pre-shared-key gateway cannot present a dn identity"),
                    new IgnoredWhen("local-certificate", "authentication", PRE_SHARED_KEY,
                            "a pre-shared-key gateway presents no certificate")),
            Map.of(),
            required("name", text(TextFormat.NAME), "The gateway's name."),
            optional("authentication", Choice.of(Authentication.class), "certificate",
                    "certificate or pre-shared-key."),
            optional("ca-profile", text(TextFormat.NAME), "The CA profile for certificate authentication"
                    + " (required for it)."),
            required("remote-identity", REMOTE_IDENTITY, "The IKE ID that selects this gateway."),
            optional("local-identity", LOCAL_IDENTITY, "The IKE ID this gateway presents to its peers."),
            optional("local-certificate", LOCAL_CERTIFICATE, "The certificate this gateway presents."));

    static final MappingShape PKI = mapping("PKI settings.", List.of(), Map.of(),
            optional("path-validation", Choice.of(PathValidation.class), "partial", "partial: the chain may"
                    + " end at a locally stored intermediate; full: it must end at a self-signed root."),
            optional("max-ca-levels", new ScalarShape(new IntegerRange(1, 16)), "7", "CA certificates allowed"
                    + " in a path, trust anchor included."),
            optional("clock-skew", span(Duration.ofDays(1)), "0s", "Tolerance when checking validity times:"
                    + " 90s, 5m, 2h, 1d."),
            optional("allow-sha1-signatures", new ScalarShape(new Flag()), "false", "Accept SHA-1 signatures."),
            optional("default-cdp", text(TextFormat.URL), "The CRL distribution point tried last, for every"
                    + " profile: http://, https://, ldap:// or ldaps://, without credentials."),
            optional("ca-profiles", new ListShape(CA_PROFILE), "CA profiles."));

    static final MappingShape IKE = mapping("IKE settings.", List.of(), Map.of(),
            required("gateways", new ListShape(GATEWAY), "The gateways, in lookup order."));

    static final MappingShape ROOT = mapping("A certgate policy, version 1.", List.of(), Map.of(),
            required("version", new ScalarShape(new VersionNumber(VERSION)), "The language version: 1."),
            optional("pki", PKI, "PKI settings and CA profiles."),
            required("ike", IKE, "IKE gateways."));

    private static Map<String, String> junos() {
        Map<String, String> spellings = new LinkedHashMap<>();
        spellings.put("inet", "ip");
        spellings.put("inet6", "ip");
        spellings.put("hostname", "fqdn");
        spellings.put("user-at-hostname", "ufqdn");
        spellings.put("distinguished-name", "dn");
        return spellings;
    }

    private static MappingShape mapping(String description, List<Rule> rules, Map<String, String> junos,
                                        Field... fields) {
        return new MappingShape(description, List.of(fields), rules, junos);
    }

    private static ScalarShape text(TextFormat format) {
        return new ScalarShape(new Text(format));
    }

    private static ScalarShape span(Duration max) {
        return new ScalarShape(new Span(max));
    }

    private static Field required(String key, Shape shape, String description) {
        return new Field(key, shape, true, Optional.empty(), description);
    }

    private static Field optional(String key, Shape shape, String description) {
        return new Field(key, shape, false, Optional.empty(), description);
    }

    private static Field optional(String key, Shape shape, String defaultValue, String description) {
        return new Field(key, shape, false, Optional.of(defaultValue), description);
    }

    private static Field optional(String key, ValueType type, String defaultValue, String description) {
        return optional(key, new ScalarShape(type), defaultValue, description);
    }
}
