package certgate.engine.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** IP literals are parsed by hand, never through a resolver. */
class IpLiteralsTest {

    @Test
    void ipv4_is_four_decimal_octets_without_leading_zeros() {
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, IpLiterals.parse("192.0.2.1").orElseThrow());
        for (String bad : new String[] {"192.0.2", "192.0.2.1.5", "192.0.2.256", "192.0.02.1", "192.0.2.", "a.b.c.d",
                "1.2.3.-4", " 1.2.3.4"}) {
            assertTrue(IpLiterals.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void ipv6_accepts_compression_and_an_ipv4_tail() {
        assertArrayEquals(v6("2001:db8::1"), IpLiterals.parse("2001:db8::1").orElseThrow());
        assertArrayEquals(v6("::"), IpLiterals.parse("::").orElseThrow());
        assertArrayEquals(v6("::ffff:192.0.2.1"), IpLiterals.parse("::ffff:192.0.2.1").orElseThrow());
        assertArrayEquals(v6("1:2:3:4:5:6:7:8"), IpLiterals.parse("1:2:3:4:5:6:7:8").orElseThrow());
        for (String bad : new String[] {"1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "::g", "1:2:3:4:5:6:7", ":1::",
                "fe80::1%eth0", "::192.0.2.256"}) {
            assertTrue(IpLiterals.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void every_address_printed_by_the_jdk_parses_back_to_its_bytes() {
        Property.forAll(Gens.bytes(4, 4).flatMap(b -> random -> random.nextBoolean() ? b
                : Gens.bytes(16, 16).generate(random))).tries(300).check(bytes -> {
                    String text = text(bytes);
                    assertArrayEquals(bytes, IpLiterals.parse(text).orElseThrow(() -> new AssertionError(text)));
                });
    }

    @Test
    void arbitrary_text_is_refused_or_parsed_never_an_exception() {
        Property.forAll(Gens.strings("0123456789abcdefABCDEF:.%g ", 0, 48)).tries(2000)
                .check(IpLiterals::parse);
    }

    private static byte[] v6(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress().length == 16 ? InetAddress.getByName(literal)
                    .getAddress() : mapped(InetAddress.getByName(literal).getAddress());
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }

    private static String text(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
