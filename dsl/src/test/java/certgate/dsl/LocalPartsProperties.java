package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.LocalCertificate;
import certgate.dsl.policy.LocalIdentity;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A gateway's local-identity and local-certificate: whatever text stands where a value goes, the compiler either
 * takes it (and it is of its type) or reports the diagnostic of its type at that value, never anything else.
 */
class LocalPartsProperties {
    private static final String HEAD = """
            version: 1
            pki:
              ca-profiles:
                - name: corp
            ike:
              gateways:
                - name: gw
                  ca-profile: corp
                  remote-identity: {fqdn: peer.example.net}
            """;
    private static final Pattern HEX64 = Pattern.compile("[0-9A-Fa-f]{64}|([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}");

    /** Text that looks like the values of the four kinds, damaged: characters dropped, doubled or replaced. */
    private static Gen<String> valueLike() {
        Gen<String> seed = Gens.oneOf("192.0.2.1", "2001:db8::1", "gw1.example.net", "vpn@example.net",
                "CN=gw1, O=Example, C=US", "ab".repeat(32), "AB:".repeat(31) + "AB");
        Gen<String> noise = Gens.strings("0123456789abcdefABCDEF:.@=, -_\\\"#+;<>*xyz\u00e9", 0, 70);
        return random -> {
            String text = random.nextBoolean() ? seed.generate(random) : noise.generate(random);
            StringBuilder out = new StringBuilder(text);
            int edits = random.nextInt(3);
            for (int i = 0; i < edits && out.length() > 0; i++) {
                int at = random.nextInt(out.length());
                switch (random.nextInt(3)) {
                    case 0 -> out.deleteCharAt(at);
                    case 1 -> out.insert(at, out.charAt(at));
                    default -> out.setCharAt(at, "x:.@=,#\\".charAt(random.nextInt(8)));
                }
            }
            return out.toString();
        };
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Test
    void a_local_identity_value_is_taken_in_normal_form_or_reported_as_malformed_for_its_type() {
        Gen<IdentityType> types = Gens.oneOf(IdentityType.values());
        Property.forAll(random -> List.of(types.generate(random), valueLike().generate(random))).tries(500)
                .check(pair -> {
                    IdentityType type = (IdentityType) pair.get(0);
                    String value = (String) pair.get(1);
                    String text = HEAD + "      local-identity: {" + type.keyword() + ": " + quoted(value) + "}\n";
                    CompileResult result = Policies.compile(text);
                    Optional<LocalIdentity> expected = LocalIdentity.of(type, value);
                    if (expected.isPresent()) {
                        Policies.assertClean(result);
                        assertEquals(expected, result.policy().orElseThrow().gateways().get(0).localIdentity());
                    } else {
                        DiagnosticCode code = switch (type) {
                            case IP -> DiagnosticCode.MALFORMED_IP;
                            case FQDN -> DiagnosticCode.MALFORMED_FQDN;
                            case UFQDN -> DiagnosticCode.MALFORMED_EMAIL;
                            case DN -> DiagnosticCode.MALFORMED_DN;
                        };
                        assertTrue(result.policy().isEmpty(), text);
                        Diagnostic only = Policies.only(result, code);
                        assertEquals(10, only.line(), only.toString());
                        assertEquals("ike.gateways[0].local-identity." + type.keyword(), only.keyPath());
                    }
                });
    }

    @Test
    void a_local_certificate_fingerprint_is_taken_as_lower_case_hex_or_reported_as_malformed() {
        Property.forAll(valueLike()).tries(500).check(value -> {
            String text = HEAD + "      local-certificate: {sha256: " + quoted(value) + "}\n";
            CompileResult result = Policies.compile(text);
            if (HEX64.matcher(value).matches()) {
                Policies.assertClean(result);
                Optional<LocalCertificate> named = result.policy().orElseThrow().gateways().get(0)
                        .localCertificate();
                assertEquals(Optional.of(new LocalCertificate.BySha256(value.replace(":", "").toLowerCase())),
                        named);
            } else {
                assertTrue(result.policy().isEmpty(), text);
                Diagnostic only = Policies.only(result, DiagnosticCode.MALFORMED_FINGERPRINT);
                assertEquals(10, only.line(), only.toString());
            }
        });
    }

    @Test
    void damaged_local_parts_give_diagnostics_or_a_policy_never_an_exception() {
        byte[] valid = (HEAD + """
                      local-identity: {dn: "CN=gw1, O=Example"}
                      local-certificate: {subject: "CN=gw1, O=Example"}
                """).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Property.forAll(Gens.damaged(valid)).tries(1000).check(bytes -> {
            CompileResult result = PolicyCompiler.compile("damaged.yaml", bytes);
            assertFalse(result.diagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.INTERNAL_ERROR),
                    Policies.describe(result));
            assertTrue(result.policy().isPresent() || !result.errors().isEmpty(), Policies.describe(result));
            result.policy().ifPresent(policy -> {
                for (Gateway gateway : policy.gateways()) {
                    gateway.localIdentity().ifPresent(id -> assertEquals(LocalIdentity.of(id.type(), id.value()),
                            Optional.of(id)));
                }
            });
        });
    }
}
