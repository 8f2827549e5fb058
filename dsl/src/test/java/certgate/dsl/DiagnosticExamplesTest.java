package certgate.dsl;

import static certgate.dsl.Policies.assertAt;
import static certgate.dsl.Policies.compile;
import static certgate.dsl.Policies.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.LocalIdentity;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * One example per diagnostic code, with the line and column the diagnostic must point at. A test at the end
 * checks that no code is left without an example.
 */
class DiagnosticExamplesTest {
    private static final Set<DiagnosticCode> COVERED = EnumSet.noneOf(DiagnosticCode.class);

    private static Diagnostic expect(DiagnosticCode code, String text, int line, int column) {
        return expect(code, () -> compile(text), line, column);
    }

    private static Diagnostic expect(DiagnosticCode code, Supplier<CompileResult> compilation, int line, int column) {
        CompileResult result = compilation.get();
        Diagnostic diagnostic = only(result, code);
        assertAt(diagnostic, line, column);
        assertEquals(code.severity() == Severity.ERROR, result.policy().isEmpty(), Policies.describe(result));
        COVERED.add(code);
        return diagnostic;
    }

    private static final String GATEWAYS = """
            ike:
              gateways:
                - name: gw
                  ca-profile: corp
                  remote-identity: {fqdn: vpn.example.net}
            """;

    private static final String PROFILES = """
            version: 1
            pki:
              ca-profiles:
                - name: corp
            """;

    @Test
    void a_file_over_one_mebibyte_is_refused_before_parsing() {
        byte[] big = new byte[PolicyCompiler.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) '#');
        Diagnostic d = expect(DiagnosticCode.FILE_TOO_LARGE, () -> PolicyCompiler.compile("big.yaml", big), 1, 1);
        assertTrue(d.message().contains("1048577 bytes"), d.message());
    }

    @Test
    void bytes_that_are_not_utf8_are_reported_where_they_are() {
        byte[] source = "version: 1\nx: \u0000\n".getBytes(StandardCharsets.UTF_8);
        source[14] = (byte) 0xff;
        expect(DiagnosticCode.INVALID_ENCODING, () -> PolicyCompiler.compile("t.yaml", source), 2, 4);
    }

    @Test
    void a_yaml_syntax_error_points_at_the_problem() {
        expect(DiagnosticCode.YAML_SYNTAX, "version: 1\nike: {gateways: [}\n", 2, 18);
    }

    @Test
    void yaml_tags_are_refused() {
        Diagnostic d = expect(DiagnosticCode.YAML_SYNTAX, "version: !!str 1\n", 1, 10);
        assertTrue(d.message().contains("tag"), d.message());
    }

    @Test
    void nesting_deeper_than_the_limit_is_refused() {
        String deep = "version: 1\nx: " + "[".repeat(40) + "]".repeat(40) + "\n";
        Diagnostic d = expect(DiagnosticCode.YAML_TOO_DEEP, deep, 2, 4 + YamlReader.MAX_DEPTH - 1);
        assertTrue(d.message().contains("12 levels"), d.message());
    }

    @Test
    void billion_laughs_are_refused_without_expanding_them() {
        StringBuilder laughs = new StringBuilder("version: 1\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            char previous = (char) (level - 1);
            laughs.append(level).append(": &").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*" + previous))).append("]\n");
        }
        long start = System.nanoTime();
        expect(DiagnosticCode.YAML_ALIAS_LIMIT, laughs.toString(), 5, 8);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refusing took too long");
    }

    @Test
    void many_small_aliases_are_refused_too() {
        StringBuilder text = new StringBuilder("version: 1\na: &a x\nb: [");
        text.append(String.join(", ", java.util.Collections.nCopies(YamlReader.MAX_ALIASES + 1, "*a")));
        text.append("]\n");
        expect(DiagnosticCode.YAML_ALIAS_LIMIT, text.toString(), 3, 5 + 4 * YamlReader.MAX_ALIASES);
    }

    @Test
    void an_alias_without_an_anchor_is_refused() {
        expect(DiagnosticCode.YAML_BAD_ALIAS, "version: 1\nike: *nowhere\n", 2, 6);
    }

    @Test
    void a_second_yaml_document_is_refused() {
        expect(DiagnosticCode.YAML_MULTIPLE_DOCUMENTS, PROFILES + GATEWAYS + "---\nversion: 1\n", 11, 1);
    }

    @Test
    void a_misspelt_key_gets_a_did_you_mean() {
        Diagnostic d = expect(DiagnosticCode.UNKNOWN_KEY, PROFILES + """
                      revocaton-check: {mode: crl}
                """ + GATEWAYS, 5, 7);
        assertEquals("pki.ca-profiles[0].revocaton-check", d.keyPath());
        assertEquals(Optional.of("did you mean `revocation-check`?"), d.help());
    }

    @Test
    void an_unknown_key_far_from_any_gets_the_list_of_allowed_keys() {
        Diagnostic d = expect(DiagnosticCode.UNKNOWN_KEY, PROFILES + GATEWAYS + "colour: blue\n", 10, 1);
        assertEquals(Optional.of("allowed keys here: `version`, `pki`, `ike`"), d.help());
    }

    @Test
    void junos_spellings_name_the_key_to_use() {
        String[][] spellings = {{"inet", "192.0.2.1", "ip"}, {"inet6", "\"2001:db8::1\"", "ip"},
            {"hostname", "vpn.example.net", "fqdn"}, {"user-at-hostname", "a@example.net", "ufqdn"},
            {"distinguished-name", "{wildcard: \"O=Corp\"}", "dn"}};
        for (String[] spelling : spellings) {
            String text = PROFILES + GATEWAYS.replace("{fqdn: vpn.example.net}",
                    "{" + spelling[0] + ": " + spelling[1] + "}");
            Diagnostic d = expect(DiagnosticCode.JUNOS_SPELLING, text, 9, 25);
            assertEquals(Optional.of("rename `" + spelling[0] + "` to `" + spelling[2] + "`"), d.help());
        }
    }

    @Test
    void a_duplicate_key_is_reported_at_its_second_occurrence() {
        Diagnostic d = expect(DiagnosticCode.DUPLICATE_KEY, PROFILES + GATEWAYS + "      ca-profile: corp\n",
                10, 7);
        assertTrue(d.message().contains("first at line 8"), d.message());
    }

    @Test
    void a_value_of_the_wrong_type_says_what_was_expected() {
        Diagnostic d = expect(DiagnosticCode.WRONG_TYPE, PROFILES.replace("- name: corp", "- name: 42")
                + GATEWAYS.replace("corp", "\"42\""), 4, 13);
        assertEquals(Optional.of("quote it: \"42\""), d.help());
        expect(DiagnosticCode.WRONG_TYPE, PROFILES + "ike:\n  gateways: {name: gw}\n", 6, 13);
    }

    @Test
    void a_missing_required_key_is_reported_on_the_mapping_that_lacks_it() {
        Diagnostic d = expect(DiagnosticCode.MISSING_KEY, PROFILES + GATEWAYS.replace("      ca-profile: corp\n", ""),
                7, 7);
        assertEquals("ike.gateways[0].ca-profile", d.keyPath());
        expect(DiagnosticCode.MISSING_KEY, "version: 1\n", 1, 1);
        expect(DiagnosticCode.MISSING_KEY, "# nothing but a comment\n", 1, 1);
    }

    @Test
    void an_unknown_version_is_the_only_error_reported() {
        CompileResult result = compile("version: 2\nfuture-key: {}\n");
        assertEquals(1, result.diagnostics().size(), Policies.describe(result));
        expect(DiagnosticCode.UNKNOWN_VERSION, "version: 2\nfuture-key: {}\n", 1, 10);
    }

    @Test
    void duplicate_names_are_reported_at_the_second() {
        Diagnostic d = expect(DiagnosticCode.DUPLICATE_NAME, PROFILES + "    - name: corp\n" + GATEWAYS, 5, 13);
        assertTrue(d.message().contains("line 4"), d.message());
        expect(DiagnosticCode.DUPLICATE_NAME, PROFILES + GATEWAYS + GATEWAYS.substring(GATEWAYS.indexOf("    -")),
                10, 13);
    }

    @Test
    void a_reference_to_a_missing_ca_profile_suggests_the_closest_profile() {
        Diagnostic d = expect(DiagnosticCode.UNKNOWN_CA_PROFILE, PROFILES + GATEWAYS.replace("ca-profile: corp",
                "ca-profile: crop"), 8, 19);
        assertEquals(Optional.of("did you mean `corp`?"), d.help());
    }

    @Test
    void a_malformed_name_is_refused() {
        expect(DiagnosticCode.MALFORMED_NAME, PROFILES + GATEWAYS.replace("name: gw", "name: \"my gateway\""),
                7, 13);
    }

    @Test
    void a_crl_url_must_be_http_https_or_ldap_without_credentials() {
        Diagnostic d = expect(DiagnosticCode.MALFORMED_URL,
                PROFILES.replace("pki:\n", "pki:\n  default-cdp: ftp://crl.example.net/a.crl\n") + GATEWAYS,
                3, 16);
        assertTrue(d.help().orElseThrow().contains("ldap://"), d.help().toString());
        expect(DiagnosticCode.MALFORMED_URL,
                PROFILES.replace("pki:\n", "pki:\n  default-cdp: \"http://crl.example.net/a b.crl\"\n") + GATEWAYS,
                3, 41);
        Diagnostic credentials = expect(DiagnosticCode.MALFORMED_URL, PROFILES + """
                      revocation-check:
                        crl:
                          url: [http://crl.example.net/a.crl, "ldap://admin:secret@ldap.example.net/cn=CA?crl"]
                """ + GATEWAYS, 7, 55);
        assertTrue(credentials.message().contains("credentials") && !credentials.message().contains("secret"),
                credentials.message());
        expect(DiagnosticCode.MALFORMED_URL, PROFILES.replace("pki:\n", "pki:\n  default-cdp: file:///etc/a.crl\n")
                + GATEWAYS, 3, 16);
        CompileResult ldaps = compile(PROFILES.replace("pki:\n", "pki:\n  default-cdp: "
                + "ldaps://ldap.example.net/cn=CA,o=Corp?certificateRevocationList;binary\n") + GATEWAYS);
        assertTrue(ldaps.policy().isPresent() && ldaps.diagnostics().isEmpty(), Policies.describe(ldaps));
    }

    @Test
    void a_profile_names_one_to_three_crl_urls() {
        String urls = "[http://a.example.net/1.crl, http://a.example.net/2.crl, http://a.example.net/3.crl, "
                + "http://a.example.net/4.crl]";
        Diagnostic d = expect(DiagnosticCode.TOO_MANY_ITEMS, PROFILES + "      revocation-check: {crl: {url: " + urls
                + "}}\n" + GATEWAYS, 5, 37);
        assertTrue(d.message().contains("a list of 4") && d.help().orElseThrow().contains("at most 3"), d.message());
        expect(DiagnosticCode.TOO_MANY_ITEMS, PROFILES + "      revocation-check: {crl: {url: []}}\n" + GATEWAYS,
                5, 37);
    }

    @Test
    void an_ldap_bind_reads_its_password_from_exactly_one_place_never_the_policy() {
        expect(DiagnosticCode.LDAP_PASSWORD_SOURCE, PROFILES + """
                      revocation-check:
                        crl:
                          ldap-bind: {dn: "cn=certgate,o=Corp", password-file: /etc/pw, password-env: PW}
                """ + GATEWAYS, 7, 73);
        Diagnostic unknown = expect(DiagnosticCode.UNKNOWN_KEY, PROFILES + """
                      revocation-check:
                        crl:
                          ldap-bind: {dn: "cn=certgate,o=Corp", password: hunter2}
                """ + GATEWAYS, 7, 49);
        assertTrue(unknown.help().orElseThrow().contains("password-"), unknown.help().toString());
        expect(DiagnosticCode.MALFORMED_ENV_NAME, PROFILES + """
                      revocation-check:
                        crl:
                          ldap-bind: {dn: "cn=certgate,o=Corp", password-env: 1PW}
                """ + GATEWAYS, 7, 63);
        expect(DiagnosticCode.MALFORMED_PATH, PROFILES + """
                      revocation-check:
                        crl:
                          ldap-bind: {dn: "cn=certgate,o=Corp", password-file: ""}
                """ + GATEWAYS, 7, 64);
    }

    @Test
    void a_malformed_dn_points_at_the_character_inside_the_string() {
        Diagnostic d = expect(DiagnosticCode.MALFORMED_DN, PROFILES + "      ca-identity: \"CN=Corp CA; O=Corp\"\n"
                + GATEWAYS, 5, 31);
        assertTrue(d.message().contains("';'"), d.message());
        expect(DiagnosticCode.MALFORMED_DN, PROFILES + "      ca-identity: \"\"\n" + GATEWAYS, 5, 20);
    }

    @Test
    void identities_are_checked_for_their_form() {
        expect(DiagnosticCode.MALFORMED_IP, PROFILES + GATEWAYS.replace("{fqdn: vpn.example.net}",
                "{ip: 192.0.2.300}"), 9, 29);
        Diagnostic fqdn = expect(DiagnosticCode.MALFORMED_FQDN, PROFILES + GATEWAYS.replace("vpn.example.net",
                "192.0.2.1"), 9, 31);
        assertTrue(fqdn.message().contains("use `ip`"), fqdn.message());
        expect(DiagnosticCode.MALFORMED_EMAIL, PROFILES + GATEWAYS.replace("fqdn: vpn.example.net",
                "ufqdn: admin.example.net"), 9, 32);
    }

    @Test
    void durations_have_one_number_and_a_unit() {
        Diagnostic d = expect(DiagnosticCode.MALFORMED_DURATION,
                PROFILES.replace("pki:\n", "pki:\n  clock-skew: 1h30m\n") + GATEWAYS, 3, 15);
        assertTrue(d.help().orElseThrow().contains("90s, 5m, 2h, 1d"), d.help().toString());
    }

    @Test
    void numbers_out_of_range_are_refused() {
        expect(DiagnosticCode.OUT_OF_RANGE, PROFILES.replace("pki:\n", "pki:\n  max-ca-levels: 17\n") + GATEWAYS,
                3, 18);
        expect(DiagnosticCode.OUT_OF_RANGE, PROFILES.replace("pki:\n", "pki:\n  max-ca-levels: 0\n") + GATEWAYS,
                3, 18);
        expect(DiagnosticCode.OUT_OF_RANGE, PROFILES.replace("pki:\n", "pki:\n  clock-skew: 2d\n") + GATEWAYS,
                3, 15);
    }

    @Test
    void a_bad_enum_value_lists_the_allowed_values() {
        Diagnostic d = expect(DiagnosticCode.BAD_ENUM_VALUE,
                PROFILES.replace("pki:\n", "pki:\n  path-validation: strict\n") + GATEWAYS, 3, 20);
        assertEquals(Optional.of("allowed values: `partial`, `full`"), d.help());
    }

    @Test
    void a_wildcard_naming_a_type_twice_is_told_to_use_container() {
        Diagnostic d = expect(DiagnosticCode.WILDCARD_REPEATED_TYPE, PROFILES + GATEWAYS.replace(
                "{fqdn: vpn.example.net}", "{dn: {wildcard: \"OU=sales, OU=engr, O=Corp\"}}"), 9, 40);
        assertTrue(d.help().orElseThrow().contains("container: \"OU=sales, OU=engr, O=Corp\""),
                d.help().toString());
    }

    @Test
    void a_pre_shared_key_gateway_cannot_use_a_dn() {
        expect(DiagnosticCode.PSK_WITH_DN, PROFILES + GATEWAYS.replace("ca-profile: corp",
                "authentication: pre-shared-key").replace("{fqdn: vpn.example.net}", "{dn: {container: \"CN=a\"}}"),
                9, 25);
    }

    @Test
    void a_dn_rule_needs_exactly_one_of_container_and_wildcard() {
        expect(DiagnosticCode.DN_RULE_KIND, PROFILES + GATEWAYS.replace("{fqdn: vpn.example.net}",
                "{dn: {container: \"CN=a\", wildcard: \"CN=a\"}}"), 9, 49);
        expect(DiagnosticCode.DN_RULE_KIND, PROFILES + GATEWAYS.replace("{fqdn: vpn.example.net}", "{dn: {}}"),
                9, 29);
    }

    @Test
    void a_remote_identity_needs_exactly_one_kind() {
        expect(DiagnosticCode.IDENTITY_KIND, PROFILES + GATEWAYS.replace("{fqdn: vpn.example.net}",
                "{fqdn: vpn.example.net, ip: 192.0.2.1}"), 9, 48);
        expect(DiagnosticCode.IDENTITY_KIND, PROFILES + GATEWAYS.replace("{fqdn: vpn.example.net}", "{}"), 9, 24);
    }

    @Test
    void a_gateway_behind_an_earlier_wildcard_is_unreachable() {
        String text = PROFILES + """
                ike:
                  gateways:
                    - name: all-corp
                      ca-profile: corp
                      remote-identity: {dn: {wildcard: "O=Corp"}}
                    - name: branches
                      ca-profile: corp
                      remote-identity: {dn: {wildcard: "OU=Branches, O=corp"}}
                """;
        Diagnostic d = expect(DiagnosticCode.UNREACHABLE_GATEWAY, text, 12, 24);
        assertTrue(d.message().contains("`branches`") && d.message().contains("`all-corp`"), d.message());
    }

    @Test
    void a_ca_profile_on_a_pre_shared_key_gateway_is_ignored_with_a_warning() {
        expect(DiagnosticCode.IGNORED_SETTING, PROFILES + GATEWAYS.replace("ca-profile: corp",
                "authentication: pre-shared-key\n      ca-profile: corp"), 9, 7);
    }

    @Test
    void an_asterisk_in_a_container_is_flagged_as_literal() {
        expect(DiagnosticCode.LITERAL_ASTERISK, PROFILES + GATEWAYS.replace("{fqdn: vpn.example.net}",
                "{dn: {container: \"CN=*, O=Corp\"}}"), 9, 41);
    }

    @Test
    void a_local_identity_needs_exactly_one_kind() {
        expect(DiagnosticCode.LOCAL_IDENTITY_KIND, PROFILES + GATEWAYS
                + "      local-identity: {fqdn: gw1.example.net, ip: 192.0.2.1}\n", 10, 47);
        expect(DiagnosticCode.LOCAL_IDENTITY_KIND, PROFILES + GATEWAYS + "      local-identity: {}\n", 10, 23);
    }

    @Test
    void a_malformed_local_identity_is_reported_as_its_type_is() {
        Diagnostic d = expect(DiagnosticCode.MALFORMED_IP, PROFILES + GATEWAYS
                + "      local-identity: {ip: 999.1.1.1}\n", 10, 28);
        assertEquals("ike.gateways[0].local-identity.ip", d.keyPath());
        expect(DiagnosticCode.MALFORMED_DN, PROFILES + GATEWAYS + "      local-identity: {dn: \"CN=gw1, garbage\"}\n",
                10, 37);
    }

    @Test
    void a_local_certificate_needs_exactly_one_of_subject_and_sha256() {
        expect(DiagnosticCode.LOCAL_CERTIFICATE_KIND, PROFILES + GATEWAYS
                + "      local-certificate: {subject: \"CN=gw1\", sha256: " + "ab".repeat(32) + "}\n", 10, 46);
    }

    @Test
    void a_fingerprint_is_sixty_four_hex_digits() {
        Diagnostic d = expect(DiagnosticCode.MALFORMED_FINGERPRINT, PROFILES + GATEWAYS
                + "      local-certificate: {sha256: abc123}\n", 10, 35);
        assertTrue(d.help().orElseThrow().contains("openssl x509"), d.help().toString());
    }

    @Test
    void a_dn_local_identity_is_the_local_certificates_subject() {
        Diagnostic d = expect(DiagnosticCode.LOCAL_IDENTITY_NOT_CERTIFIED, PROFILES + GATEWAYS + """
                      local-identity: {dn: "CN=gw1, O=Corp"}
                      local-certificate: {subject: "CN=gw2, O=Corp"}
                """, 11, 26);
        assertEquals("ike.gateways[0].local-certificate", d.keyPath());
    }

    @Test
    void with_a_store_a_local_certificate_must_be_loaded_there() {
        LoadedLocalCertificates store = new LoadedLocalCertificates(List.of(new LoadedLocalCertificates.Loaded(
                "cd".repeat(32), Policies.dn("CN=gw1, O=Corp"), List.of())));
        Diagnostic d = expect(DiagnosticCode.UNKNOWN_LOCAL_CERTIFICATE, () -> PolicyCompiler.compile("t.yaml",
                (PROFILES + GATEWAYS + "      local-certificate: {sha256: \"" + "ab".repeat(32) + "\"}\n")
                        .getBytes(StandardCharsets.UTF_8), store), 10, 26);
        assertTrue(d.help().orElseThrow().contains("`CN=gw1, O=Corp`"), d.help().toString());
    }

    @Test
    void with_a_store_the_local_certificate_must_hold_the_local_identity() {
        LoadedLocalCertificates store = new LoadedLocalCertificates(List.of(new LoadedLocalCertificates.Loaded(
                "cd".repeat(32), Policies.dn("CN=gw1, O=Corp"), List.of(LocalIdentity.of(IdentityType.FQDN,
                "gw1.example.net").orElseThrow()))));
        Diagnostic d = expect(DiagnosticCode.LOCAL_IDENTITY_NOT_CERTIFIED, () -> PolicyCompiler.compile("t.yaml",
                (PROFILES + GATEWAYS + """
                              local-identity: {fqdn: gw9.example.net}
                              local-certificate: {subject: "CN=gw1, O=Corp"}
                        """).getBytes(StandardCharsets.UTF_8), store), 11, 26);
        assertTrue(d.message().contains("fqdn:gw9.example.net"), d.message());
    }

    @Test
    void every_code_except_internal_error_has_an_example_here() throws Exception {
        for (var method : DiagnosticExamplesTest.class.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Test.class) && !method.getName().startsWith("every_code")) {
                method.setAccessible(true);
                method.invoke(new DiagnosticExamplesTest());
            }
        }
        Set<DiagnosticCode> missing = EnumSet.complementOf(EnumSet.copyOf(COVERED));
        missing.remove(DiagnosticCode.INTERNAL_ERROR);
        assertTrue(missing.isEmpty(), "codes without an example: " + missing);
        assertFalse(COVERED.isEmpty());
    }
}
