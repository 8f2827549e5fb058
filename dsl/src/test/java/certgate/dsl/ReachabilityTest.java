package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When `check` may say a gateway is unreachable: only when an earlier one surely matches all it would. */
class ReachabilityTest {

    /** The names of the gateways warned about, for two gateways with these identities (flow YAML). */
    private static List<String> unreachable(String first, String second) {
        CompileResult result = Policies.compile("version: 1\npki: {ca-profiles: [{name: corp}]}\nike:\n  gateways:\n"
                + "    - {name: first, ca-profile: corp, remote-identity: " + first + "}\n"
                + "    - {name: second, ca-profile: corp, remote-identity: " + second + "}\n");
        assertEquals(List.of(), result.errors(), Policies.describe(result));
        return result.warnings().stream().filter(w -> w.code() == DiagnosticCode.UNREACHABLE_GATEWAY)
                .map(w -> w.keyPath().contains("[1]") ? "second" : "first").toList();
    }

    @Test
    void the_same_address_fqdn_or_mailbox_written_differently_is_unreachable() {
        assertEquals(List.of("second"), unreachable("{ip: \"2001:db8::1\"}", "{ip: \"2001:DB8:0:0::1\"}"));
        assertEquals(List.of("second"), unreachable("{fqdn: vpn.example.net}", "{fqdn: VPN.example.net.}"));
        assertEquals(List.of("second"), unreachable("{ufqdn: a@example.net}", "{ufqdn: a@EXAMPLE.net}"));
        assertEquals(List.of(), unreachable("{ufqdn: a@example.net}", "{ufqdn: A@example.net}"));
        assertEquals(List.of(), unreachable("{fqdn: vpn.example.net}", "{fqdn: vpn2.example.net}"));
    }

    @Test
    void an_earlier_wildcard_covers_later_rules_that_guarantee_its_attributes() {
        assertEquals(List.of("second"), unreachable("{dn: {wildcard: \"O=Corp\"}}",
                "{dn: {wildcard: \"CN=*, o=CORP\"}}"));
        assertEquals(List.of("second"), unreachable("{dn: {wildcard: \"OU=*, O=Corp\"}}",
                "{dn: {container: \"OU=a, OU=b, O=Corp\"}}"));
        assertEquals(List.of("second"), unreachable("{dn: {wildcard: \"CN=*\"}}", "{dn: {wildcard: \"CN=*\"}}"));
    }

    @Test
    void a_later_asterisk_does_not_guarantee_a_value() {
        assertEquals(List.of(), unreachable("{dn: {wildcard: \"OU=Sales\"}}", "{dn: {wildcard: \"OU=*, O=x\"}}"));
    }

    @Test
    void an_earlier_container_covers_a_later_container_that_holds_its_run() {
        assertEquals(List.of("second"), unreachable("{dn: {container: \"OU=engr, OU=central\"}}",
                "{dn: {container: \"CN=gw, OU=Engr, OU=central, O=Corp\"}}"));
        assertEquals(List.of(), unreachable("{dn: {container: \"OU=engr, OU=central\"}}",
                "{dn: {container: \"OU=engr, OU=lab, OU=central\"}}"));
    }

    @Test
    void a_container_never_covers_a_wildcard() {
        assertEquals(List.of(), unreachable("{dn: {container: \"O=Corp\"}}", "{dn: {wildcard: \"O=Corp\"}}"));
    }

    @Test
    void identities_of_different_types_never_shadow_each_other() {
        assertEquals(List.of(), unreachable("{fqdn: a.example.net}", "{ufqdn: a@a.example.net}"));
        assertEquals(List.of(), unreachable("{dn: {wildcard: \"CN=*\"}}", "{fqdn: a.example.net}"));
    }
}
