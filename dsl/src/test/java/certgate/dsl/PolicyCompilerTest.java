package certgate.dsl;

import static certgate.dsl.Policies.assertClean;
import static certgate.dsl.Policies.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.dn.ContainerRule;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.WildcardRule;
import certgate.dsl.policy.Authentication;
import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.OnDownloadFailure;
import certgate.dsl.policy.PathValidation;
import certgate.dsl.policy.PkiSettings;
import certgate.dsl.policy.RemoteIdentity;
import certgate.dsl.policy.RevocationCheck;
import certgate.dsl.policy.RevocationMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PolicyCompilerTest {

    /** The policy language's reference example, verbatim. */
    static final String EXAMPLE_POLICY = """
            version: 1
            pki:
              path-validation: partial          # partial | full                         (default partial)
              max-ca-levels: 7                  # 1..16, trust anchor included            (default 7)
              clock-skew: 5m                    # duration: 90s, 5m, 2h, 1d               (default 0s)
              allow-sha1-signatures: false      #                                         (default false)
              default-cdp: http://crl.example.net/default.crl    # optional; http:// or ldap://
              ca-profiles:
                - name: corp
                  ca-identity: "CN=Corp Issuing CA, O=Corp"      # optional: the subject a CA loaded here must have
                  revocation-check:
                    mode: crl                   # crl | disable                           (default crl)
                    crl:
                      url: ldap://ldap.example.net/cn=Corp%20CA,o=Corp?certificateRevocationList;binary  # optional
                      refresh-interval: 24h     # 0 = at the CRL's nextUpdate             (default 0)
                      on-download-failure: reject   # reject | accept                     (default reject)
            ike:
              gateways:
                - name: branches
                  authentication: certificate   # certificate | pre-shared-key            (default certificate)
                  ca-profile: corp              # required for certificate authentication
                  remote-identity:              # exactly one of ip, fqdn, ufqdn, dn
                    dn:
                      wildcard: "O=Corp, OU=Branches"          # or container: "..."; exactly one of the two
                - name: hq
                  ca-profile: corp
                  remote-identity: { fqdn: hq-vpn.example.net }
            """;

    private static CompiledPolicy policy(String text) {
        CompileResult result = compile(text);
        assertClean(result);
        return result.policy().orElseThrow();
    }

    @Test
    void the_issues_example_compiles_to_what_it_says() throws Exception {
        CompiledPolicy policy = policy(EXAMPLE_POLICY);
        assertEquals(new PkiSettings(PathValidation.PARTIAL, 7, Duration.ofMinutes(5), false,
                Optional.of(URI.create("http://crl.example.net/default.crl"))), policy.pki());
        CaProfile corp = new CaProfile("corp", Optional.of(DistinguishedName.parse("CN=Corp Issuing CA, O=Corp")),
                new RevocationCheck(RevocationMode.CRL, List.of(URI.create(
                        "ldap://ldap.example.net/cn=Corp%20CA,o=Corp?certificateRevocationList;binary")),
                        Duration.ofHours(24), OnDownloadFailure.REJECT, Optional.empty()));
        assertEquals(List.of(corp), policy.caProfiles());
        assertEquals(List.of(
                new Gateway("branches", Authentication.CERTIFICATE, Optional.of(corp),
                        new RemoteIdentity.Dn(new WildcardRule(DistinguishedName.parse("O=Corp, OU=Branches")))),
                new Gateway("hq", Authentication.CERTIFICATE, Optional.of(corp),
                        new RemoteIdentity.Fqdn("hq-vpn.example.net"))), policy.gateways());
        assertEquals("test.yaml", policy.sourceName());
    }

    @Test
    void defaults_apply_when_keys_are_absent() {
        CompiledPolicy policy = policy("""
                version: 1
                pki:
                  ca-profiles: [{name: corp}]
                ike:
                  gateways: [{name: gw, ca-profile: corp, remote-identity: {ip: 192.0.2.1}}]
                """);
        assertEquals(PkiSettings.DEFAULTS, policy.pki());
        assertEquals(RevocationCheck.DEFAULTS, policy.caProfiles().get(0).revocationCheck());
        assertEquals(Authentication.CERTIFICATE, policy.gateways().get(0).authentication());
        assertEquals(new PkiSettings(PathValidation.PARTIAL, 7, Duration.ZERO, false, Optional.empty()),
                PkiSettings.DEFAULTS);
    }

    @Test
    void the_revision_is_the_sha256_of_the_source_bytes() throws Exception {
        byte[] source = EXAMPLE_POLICY.getBytes(StandardCharsets.UTF_8);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source));
        assertEquals(expected, PolicyCompiler.compile("p.yaml", source).policy().orElseThrow().revision());
        String changedComment = EXAMPLE_POLICY.replace("# optional", "# not required");
        assertFalse(expected.equals(policy(changedComment).revision()));
    }

    @Test
    void a_pre_shared_key_gateway_compiles_without_a_ca_profile() {
        CompiledPolicy policy = policy("""
                version: 1
                ike:
                  gateways:
                    - name: lab
                      authentication: pre-shared-key
                      remote-identity: {ufqdn: lab@example.net}
                """);
        Gateway lab = policy.gateways().get(0);
        assertEquals(Authentication.PRE_SHARED_KEY, lab.authentication());
        assertEquals(Optional.empty(), lab.caProfile());
    }

    @Test
    void all_errors_of_a_file_are_reported_not_only_the_first() {
        CompileResult result = compile("""
                version: 1
                pki:
                  path-validation: partal
                  max-ca-levels: 20
                  clock-skew: 5 min
                  ca-profiles:
                    - name: corp
                      revocaton-check: {mode: crl}
                    - name: corp
                ike:
                  gateways:
                    - name: a
                      ca-profile: crop
                      remote-identity: {hostname: a.example.net}
                    - name: b
                      authentication: pre-shared-key
                      remote-identity: {dn: {wildcard: "OU=a, OU=b"}}
                """);
        Set<DiagnosticCode> codes = result.errors().stream().map(Diagnostic::code).collect(Collectors.toSet());
        assertEquals(Set.of(DiagnosticCode.BAD_ENUM_VALUE, DiagnosticCode.OUT_OF_RANGE,
                DiagnosticCode.MALFORMED_DURATION, DiagnosticCode.UNKNOWN_KEY, DiagnosticCode.DUPLICATE_NAME,
                DiagnosticCode.UNKNOWN_CA_PROFILE, DiagnosticCode.JUNOS_SPELLING, DiagnosticCode.PSK_WITH_DN,
                DiagnosticCode.WILDCARD_REPEATED_TYPE), codes, Policies.describe(result));
        List<Integer> lines = result.diagnostics().stream().map(Diagnostic::line).toList();
        assertEquals(lines.stream().sorted().toList(), lines, "diagnostics come in file order");
    }

    @Test
    void a_diagnostic_renders_as_file_line_column_code_message_then_path_and_help() {
        Diagnostic d = Policies.only(compile(EXAMPLE_POLICY.replace("mode: crl", "mode: crll")),
                DiagnosticCode.BAD_ENUM_VALUE);
        assertEquals("""
                test.yaml:12:15: BAD_ENUM_VALUE: `crll` is not an allowed value
                    at: pki.ca-profiles[0].revocation-check.mode
                    help: did you mean `crl`? allowed values: `crl`, `disable`""", d.toString());
    }

    @Test
    void a_warning_renders_with_its_severity_and_does_not_stop_the_policy() {
        CompileResult result = compile(EXAMPLE_POLICY.replace("fqdn: hq-vpn.example.net",
                "dn: {container: \"CN=hq, OU=Branches, O=Corp\"}"));
        assertTrue(result.policy().isPresent());
        Diagnostic warning = Policies.only(result, DiagnosticCode.UNREACHABLE_GATEWAY);
        assertEquals(Severity.WARNING, warning.severity());
        assertTrue(warning.toString().startsWith("test.yaml:27:24: UNREACHABLE_GATEWAY: warning: gateway `hq`"),
                warning.toString());
    }

    @Test
    void aliases_within_the_limit_expand_to_the_anchored_value() {
        CompiledPolicy policy = policy("""
                version: 1
                pki:
                  ca-profiles:
                    - name: &profile corp
                      revocation-check: &strict {mode: crl, crl: {on-download-failure: reject}}
                    - name: partner
                      revocation-check: *strict
                ike:
                  gateways:
                    - {name: a, ca-profile: *profile, remote-identity: {fqdn: a.example.net}}
                """);
        assertEquals(policy.caProfiles().get(0).revocationCheck(), policy.caProfiles().get(1).revocationCheck());
        assertEquals("corp", policy.gateways().get(0).caProfile().orElseThrow().name());
    }

    @Test
    void an_alias_names_the_latest_anchor_of_that_name_even_when_it_is_a_scalar() {
        CompiledPolicy policy = policy("""
                version: 1
                pki:
                  ca-profiles:
                    - &p {name: corp}
                    - name: &p partner
                ike:
                  gateways:
                    - {name: a, ca-profile: *p, remote-identity: {fqdn: a.example.net}}
                """);
        assertEquals("partner", policy.gateways().get(0).caProfile().orElseThrow().name());
    }

    @Test
    void yes_and_no_are_not_booleans_here() {
        CompileResult result = compile(EXAMPLE_POLICY.replace("allow-sha1-signatures: false",
                "allow-sha1-signatures: no"));
        assertEquals(Optional.of("write true or false"),
                Policies.only(result, DiagnosticCode.WRONG_TYPE).help());
    }

    @Test
    void find_gateway_takes_the_first_match_in_file_order() {
        CompiledPolicy policy = policy("""
                version: 1
                pki: {ca-profiles: [{name: corp}]}
                ike:
                  gateways:
                    - {name: engr, ca-profile: corp, remote-identity: {dn: {container: "OU=engr, OU=central"}}}
                    - {name: corp, ca-profile: corp, remote-identity: {dn: {wildcard: "O=Corp, OU=*"}}}
                    - {name: v4, ca-profile: corp, remote-identity: {ip: 192.0.2.1}}
                    - {name: v6, ca-profile: corp, remote-identity: {ip: "2001:db8::1"}}
                    - {name: host, ca-profile: corp, remote-identity: {fqdn: VPN.Example.net}}
                    - {name: mail, ca-profile: corp, remote-identity: {ufqdn: Ops@Example.NET}}
                """);
        assertEquals(Optional.of("engr"), name(policy, IdentityType.DN, "CN=gw, OU=engr, OU=central, O=Corp"));
        assertEquals(Optional.of("corp"), name(policy, IdentityType.DN, "CN=gw, OU=central, OU=engr, O=Corp"));
        assertEquals(Optional.of("corp"), name(policy, IdentityType.DN, "o=corp, cn=x, ou=sales"));
        assertEquals(Optional.empty(), name(policy, IdentityType.DN, "CN=gw, O=Corp"));
        assertEquals(Optional.empty(), name(policy, IdentityType.DN, "CN=gw; O=Corp"));
        assertEquals(Optional.of("v4"), name(policy, IdentityType.IP, "::ffff:192.0.2.1"));
        assertEquals(Optional.of("v6"), name(policy, IdentityType.IP, "2001:0DB8:0:0:0:0:0:1"));
        assertEquals(Optional.empty(), name(policy, IdentityType.IP, "vpn.example.net"));
        assertEquals(Optional.of("host"), name(policy, IdentityType.FQDN, "vpn.EXAMPLE.net."));
        assertEquals(Optional.empty(), name(policy, IdentityType.FQDN, "192.0.2.1"));
        assertEquals(Optional.of("mail"), name(policy, IdentityType.UFQDN, "Ops@example.net"));
        assertEquals(Optional.empty(), name(policy, IdentityType.UFQDN, "ops@example.net"));
    }

    private static Optional<String> name(CompiledPolicy policy, IdentityType type, String value) {
        return policy.findGateway(type, value).map(Gateway::name);
    }

    @Test
    void a_container_rule_with_two_ous_compiles_to_a_container() throws Exception {
        CompiledPolicy policy = policy("""
                version: 1
                pki: {ca-profiles: [{name: corp}]}
                ike:
                  gateways:
                    - name: engr
                      ca-profile: corp
                      remote-identity: {dn: {container: "OU=sales, OU=engr, OU=central"}}
                """);
        assertEquals(new RemoteIdentity.Dn(new ContainerRule(DistinguishedName.parse("OU=sales, OU=engr, OU=central"))),
                policy.gateways().get(0).remoteIdentity());
    }

    @Test
    void a_disabled_revocation_check_with_crl_settings_warns_that_they_are_ignored() {
        CompileResult result = compile(EXAMPLE_POLICY.replace("mode: crl  ", "mode: disable"));
        Diagnostic warning = Policies.only(result, DiagnosticCode.IGNORED_SETTING);
        assertEquals("pki.ca-profiles[0].revocation-check.crl", warning.keyPath());
        assertTrue(result.policy().isPresent());
    }
}
