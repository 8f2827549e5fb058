package certgate.dsl;

/** The stable codes of the compiler's diagnostics. Append new codes; never rename or reuse one. */
public enum DiagnosticCode {
    FILE_TOO_LARGE(Severity.ERROR, "the file is larger than 1 MiB"),
    INVALID_ENCODING(Severity.ERROR, "the file is not valid UTF-8"),
    YAML_SYNTAX(Severity.ERROR, "the file is not well-formed YAML (or uses YAML tags, which policies do not)"),
    YAML_TOO_DEEP(Severity.ERROR, "mappings and lists nest deeper than 12 levels"),
    YAML_ALIAS_LIMIT(Severity.ERROR, "YAML aliases are used more than 64 times or expand to more than 1,000 nodes"),
    YAML_BAD_ALIAS(Severity.ERROR, "a YAML alias names no anchor defined before it, or is used as a key"),
    YAML_MULTIPLE_DOCUMENTS(Severity.ERROR, "the file holds more than one YAML document"),
    UNKNOWN_KEY(Severity.ERROR, "a key that is not allowed here (help suggests the closest allowed key)"),
    JUNOS_SPELLING(Severity.ERROR, "a Junos keyword where certgate uses another (help names the key to use)"),
    DUPLICATE_KEY(Severity.ERROR, "a key appears twice in one mapping"),
    WRONG_TYPE(Severity.ERROR, "a value of the wrong type (a list where a mapping belongs, a number for a name...)"),
    MISSING_KEY(Severity.ERROR, "a required key is absent"),
    UNKNOWN_VERSION(Severity.ERROR, "`version` is not 1, the only version this certgate reads"),
    DUPLICATE_NAME(Severity.ERROR, "two CA profiles or two gateways have the same name"),
    UNKNOWN_CA_PROFILE(Severity.ERROR, "a gateway's `ca-profile` names no CA profile of the file"),
    MALFORMED_NAME(Severity.ERROR, "a name is not 1 to 64 letters, digits, '.', '_' or '-' (starting alphanumeric)"),
    MALFORMED_URL(Severity.ERROR, "a CRL URL is not an http://, https://, ldap:// or ldaps:// URL with a host and"
            + " without credentials"),
    MALFORMED_DN(Severity.ERROR, "a DN is not RFC 4514 text, or is empty"),
    MALFORMED_IP(Severity.ERROR, "an ip identity is not an IPv4 or IPv6 address literal"),
    MALFORMED_FQDN(Severity.ERROR, "an fqdn identity is not a DNS name"),
    MALFORMED_EMAIL(Severity.ERROR, "a ufqdn identity is not an e-mail address (local@domain)"),
    MALFORMED_DURATION(Severity.ERROR, "a duration is not 0 or a number with a unit: 90s, 5m, 2h, 1d"),
    OUT_OF_RANGE(Severity.ERROR, "a number or duration out of range: max-ca-levels 1..16, clock-skew up to 1d,"
            + " refresh-interval up to 365d"),
    BAD_ENUM_VALUE(Severity.ERROR, "a value that is not one of the allowed words (help lists them)"),
    WILDCARD_REPEATED_TYPE(Severity.ERROR, "a wildcard DN names one attribute type twice: use `container`"),
    PSK_WITH_DN(Severity.ERROR, "a pre-shared-key gateway with a dn identity (DN identities need certificates)"),
    DN_RULE_KIND(Severity.ERROR, "a dn identity needs exactly one of `container` and `wildcard`"),
    IDENTITY_KIND(Severity.ERROR, "a remote-identity needs exactly one of `ip`, `fqdn`, `ufqdn`, `dn`"),
    UNREACHABLE_GATEWAY(Severity.WARNING, "an earlier gateway matches every IKE ID this gateway would"),
    IGNORED_SETTING(Severity.WARNING, "a setting that has no effect (a CA profile on a pre-shared-key gateway...)"),
    LITERAL_ASTERISK(Severity.WARNING, "a `container` value of `*`, which matches only a literal '*'"),
    INTERNAL_ERROR(Severity.ERROR, "the compiler itself failed: a bug to report; the policy is refused"),
    LOCAL_IDENTITY_KIND(Severity.ERROR, "a local-identity needs exactly one of `ip`, `fqdn`, `ufqdn`, `dn`"),
    LOCAL_CERTIFICATE_KIND(Severity.ERROR, "a local-certificate needs exactly one of `subject` and `sha256`"),
    MALFORMED_FINGERPRINT(Severity.ERROR, "a sha256 fingerprint is not 64 hex digits (pairs may be separated by"
            + " ':')"),
    LOCAL_IDENTITY_NOT_CERTIFIED(Severity.ERROR, "a gateway's local certificate would not hold its local-identity"
            + " (in subjectAltName; a dn identity as the subject)"),
    UNKNOWN_LOCAL_CERTIFICATE(Severity.ERROR, "with `check --store`: no local certificate loaded in the store is"
            + " the one a gateway's `local-certificate` names"),
    TOO_MANY_ITEMS(Severity.ERROR, "a list is longer than allowed (at most 3 CRL URLs per CA profile) or empty"),
    LDAP_PASSWORD_SOURCE(Severity.ERROR, "an `ldap-bind` needs exactly one of `password-file` and `password-env`"),
    MALFORMED_PATH(Severity.ERROR, "a file path is empty or holds control characters"),
    MALFORMED_ENV_NAME(Severity.ERROR, "an environment variable name is not letters, digits and '_' (not starting"
            + " with a digit)");

    private final Severity severity;
    private final String description;

    DiagnosticCode(Severity severity, String description) {
        this.severity = severity;
        this.description = description;
    }

    public Severity severity() {
        return severity;
    }

    /** One line, for the README and `--help`. */
    public String description() {
        return description;
    }
}
