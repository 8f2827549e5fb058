package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.testkit.Gens;
import certgate.testkit.Property;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The checked-in JSON Schema is what the compiler's own model writes, and the formats it states exactly
 * agree with the compiler's checks. Regenerate with {@code -Dcertgate.writeSchema=true}.
 */
class PolicySchemaTest {
    static final Path POLICIES = Path.of("..", "policies");
    private static final Path SCHEMA = POLICIES.resolve("policy.schema.json");

    @Test
    void the_checked_in_schema_is_what_the_model_writes() throws Exception {
        String generated = PolicySchema.jsonSchema();
        if (Boolean.getBoolean("certgate.writeSchema")) {
            Files.writeString(SCHEMA, generated, StandardCharsets.UTF_8);
        }
        assertEquals(generated, Files.readString(SCHEMA, StandardCharsets.UTF_8),
                "policies/policy.schema.json is stale: run the dsl tests with -Dcertgate.writeSchema=true");
    }

    @Test
    void the_schema_is_json_with_every_key_type_and_allowed_value_of_the_model() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(PolicySchema.jsonSchema());
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
        JsonNode gateway = schema.at("/properties/ike/properties/gateways/items");
        assertEquals(List.of("name", "authentication", "ca-profile", "remote-identity", "local-identity",
                "local-certificate"), names(gateway));
        assertEquals(List.of("certificate", "pre-shared-key"), texts(gateway.at("/properties/authentication/enum")));
        assertEquals(List.of("ip", "fqdn", "ufqdn", "dn"), names(gateway.at("/properties/remote-identity")));
        assertEquals(List.of("ip", "fqdn", "ufqdn", "dn"), names(gateway.at("/properties/local-identity")));
        assertEquals(List.of("subject", "sha256"), names(gateway.at("/properties/local-certificate")));
        assertEquals(List.of("partial", "full"), texts(schema.at("/properties/pki/properties/path-validation/enum")));
        assertEquals(16, schema.at("/properties/pki/properties/max-ca-levels/maximum").asInt());
        assertEquals(7, schema.at("/properties/pki/properties/max-ca-levels/default").asInt());
        assertEquals(List.of("reject", "accept"), texts(schema.at("/properties/pki/properties/ca-profiles/items"
                + "/properties/revocation-check/properties/crl/properties/on-download-failure/enum")));
        assertTrue(schema.at("/properties/ike/properties/gateways/items/additionalProperties").isBoolean());
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.get("properties").fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    @Test
    void exact_patterns_accept_exactly_what_the_compiler_accepts() {
        String alphabet = "aZ09._- @:/%\u00e9";
        for (TextFormat format : TextFormat.values()) {
            if (!format.exactPattern()) {
                continue;
            }
            Pattern pattern = Pattern.compile(format.pattern());
            Property.forAll(Gens.strings(alphabet, 0, 70)).tries(500).check(text ->
                    assertEquals(format.check(text).isEmpty(), pattern.matcher(text).find(), format + " " + text));
        }
    }

    @Test
    void the_duration_pattern_accepts_exactly_what_the_compiler_parses() {
        Pattern pattern = Pattern.compile(Durations.JSON_PATTERN);
        Property.forAll(Gens.strings("0123456789smhdy ", 0, 12)).tries(500).check(text ->
                assertEquals(Durations.parse(text).isPresent(), pattern.matcher(text).find(), text));
    }

    @Test
    void looser_patterns_never_refuse_what_the_compiler_accepts() {
        List<String> good = List.of("http://crl.example.net/a.crl", "ldap://ldap.example.net/cn=CA,o=X?crl;binary",
                "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", "vpn.example.net", "VPN.example.net.",
                "a.b+c@example.net", "CN=a, O=b");
        for (TextFormat format : TextFormat.values()) {
            Pattern pattern = Pattern.compile(format.pattern());
            for (String value : good) {
                if (format.check(value).isEmpty()) {
                    assertTrue(pattern.matcher(value).find(), format + " pattern refuses " + value);
                }
            }
        }
    }
}
