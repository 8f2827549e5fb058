package certgate.dsl.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentitySyntaxTest {

    @Test
    void ip_literals_parse_to_their_bytes_and_print_in_rfc5952_form() {
        assertEquals("192.0.2.1", IpAddress.parse("192.0.2.1").orElseThrow().toString());
        assertEquals("2001:db8::1", IpAddress.parse("2001:0DB8:0000:0:0:0:0:1").orElseThrow().toString());
        assertEquals("2001:db8:0:1::1", IpAddress.parse("2001:db8:0:1:0:0:0:1").orElseThrow().toString());
        assertEquals("2001:0:0:1::1", IpAddress.parse("2001:0:0:1:0:0:0:1").orElseThrow().toString());
        assertEquals("::", IpAddress.parse("::").orElseThrow().toString());
        assertEquals("::1", IpAddress.parse("::1").orElseThrow().toString());
        assertEquals("1::", IpAddress.parse("1::").orElseThrow().toString());
        assertEquals("2001:db8:1:2:3:4:5:6", IpAddress.parse("2001:db8:1:2:3:4:5:6").orElseThrow().toString());
        assertEquals("::c000:201", IpAddress.parse("::192.0.2.1").orElseThrow().toString());
    }

    @Test
    void an_ipv4_mapped_address_is_the_ipv4_address() {
        assertEquals(IpAddress.parse("192.0.2.1"), IpAddress.parse("::ffff:192.0.2.1"));
        assertEquals(IpAddress.parse("192.0.2.1"), IpAddress.parse("::FFFF:c000:0201"));
    }

    @Test
    void text_that_is_not_an_address_literal_is_refused_without_any_lookup() {
        for (String bad : List.of("", "localhost", "vpn.example.net", "192.0.2", "192.0.2.1.5", "256.0.0.1",
                "01.2.3.4", "1.2.3.-4", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1::2:",
                "12345::", "fe80::1%eth0", "[::1]", "::1.2.3.4:5", "1.2.3.4::", " 192.0.2.1", "g::1")) {
            assertEquals(Optional.empty(), IpAddress.parse(bad), bad);
        }
    }

    @Test
    void parsed_addresses_agree_with_the_jdk_on_literals() throws Exception {
        for (String literal : List.of("10.0.0.1", "255.255.255.255", "2001:db8::ff00:42:8329", "::ffff:1.2.3.4",
                "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4")) {
            assertArrayEquals(InetAddress.getByName(literal).getAddress(),
                    IpAddress.parse(literal).orElseThrow().bytes(), literal);
        }
    }

    @Test
    void fqdns_are_folded_to_lower_case_without_one_trailing_dot() {
        assertEquals(Optional.of("vpn.example.net"), HostName.fqdn("VPN.Example.NET."));
        assertEquals(Optional.of("a-1.b"), HostName.fqdn("a-1.b"));
        for (String bad : List.of("", ".", "a..b", "-a.b", "a-.b", "a_b.c", "a b", "a.b..", "\u00e9.example",
                "x".repeat(64) + ".net", ("abc." .repeat(64)) + "net")) {
            assertEquals(Optional.empty(), HostName.fqdn(bad), bad);
        }
    }

    @Test
    void an_email_keeps_its_local_part_and_folds_its_domain() {
        assertEquals(Optional.of(new HostName.Mailbox("Ops.Team+vpn", "example.net")),
                HostName.mailbox("Ops.Team+vpn@Example.NET"));
        for (String bad : List.of("example.net", "@example.net", "a b@example.net", "a@", "a@b@",
                "x".repeat(65) + "@example.net", "a@-x.net")) {
            assertEquals(Optional.empty(), HostName.mailbox(bad), bad);
        }
    }

    @Test
    void remote_identities_match_presented_ids_by_their_rules() {
        assertTrue(new RemoteIdentity.Ip(IpAddress.parse("2001:db8::1").orElseThrow()).matches("2001:DB8::0:1"));
        assertTrue(new RemoteIdentity.Fqdn("vpn.example.net").matches("VPN.example.net."));
        assertTrue(!new RemoteIdentity.Fqdn("vpn.example.net").matches("vpn.example.net.."));
        assertTrue(new RemoteIdentity.Ufqdn(HostName.mailbox("ops@example.net").orElseThrow())
                .matches("ops@EXAMPLE.net"));
        assertTrue(!new RemoteIdentity.Ufqdn(HostName.mailbox("ops@example.net").orElseThrow())
                .matches("Ops@example.net"));
    }
}
