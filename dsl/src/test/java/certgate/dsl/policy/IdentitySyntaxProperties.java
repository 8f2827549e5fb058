package certgate.dsl.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdentitySyntaxProperties {

    @Test
    void an_address_prints_to_text_that_parses_back_to_it_and_agrees_with_the_jdk() {
        Gen<byte[]> addresses = Gens.frequency(Gens.bytes(4, 4), Gens.bytes(16, 16),
                Gens.bytes(16, 16).map(b -> {
                    // Runs of zero groups, where "::" compression happens.
                    for (int i = 2 * (b[0] & 7); i < Math.min(16, 2 * (b[0] & 7) + 2 * (b[1] & 7)); i++) {
                        b[i] = 0;
                    }
                    return b;
                }));
        Property.forAll(addresses).tries(500).check(bytes -> {
            try {
                InetAddress jdk = InetAddress.getByAddress(bytes);
                IpAddress ours = IpAddress.parse(jdk.getHostAddress()).orElseThrow();
                assertArrayEquals(jdk.getAddress(), ours.bytes(), jdk.getHostAddress());
                assertEquals(ours, IpAddress.parse(ours.toString()).orElseThrow(), ours.toString());
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void damaged_literals_parse_to_an_address_that_prints_back_or_to_nothing() {
        for (String valid : new String[] {"2001:db8::1", "192.0.2.1", "::ffff:192.0.2.1", "vpn.example.net",
            "ops@example.net"}) {
            Property.forAll(Gens.damaged(valid.getBytes(StandardCharsets.UTF_8))).tries(200).check(bytes -> {
                String text = new String(bytes, StandardCharsets.UTF_8);
                IpAddress.parse(text).ifPresent(a -> assertEquals(a, IpAddress.parse(a.toString()).orElseThrow()));
                HostName.fqdn(text).ifPresent(f -> assertEquals(f, HostName.fqdn(f).orElseThrow()));
                HostName.mailbox(text).ifPresent(m -> assertEquals(m, HostName.mailbox(m.toString()).orElseThrow()));
            });
        }
    }
}
