package certgate.der;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The strict DER rules of the shared cursor, one example each, with the words the certificate, CRL and PEM readers'
 * own tests look for in its messages.
 */
class DerCursorTest {
    /** A caller's own exception type, made by the cursor's {@link DerFailure}. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        final int offset;

        Refused(String message, int offset) {
            super(message);
            this.offset = offset;
        }
    }

    private static DerCursor<Refused> cursor(String hex) {
        return new DerCursor<>(HexFormat.of().parseHex(hex.replace(" ", "")), 0, Refused::new);
    }

    /** Reads the one element of {@code hex} and applies {@code rule} to it. */
    private interface Rule {
        void apply(DerCursor<Refused> in) throws Refused;
    }

    private static Refused refused(String hex, Rule rule, String expected) {
        DerCursor<Refused> in = cursor(hex);
        Executable read = () -> {
            in.header(in.peek(Integer.MAX_VALUE) < 0 ? 0 : hex.replace(" ", "").length() / 2, "field");
            rule.apply(in);
        };
        Refused e = assertThrows(Refused.class, read);
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("field"), e.getMessage());
        return e;
    }

    private static void accepted(String hex, Rule rule) throws Refused {
        DerCursor<Refused> in = cursor(hex);
        in.header(hex.replace(" ", "").length() / 2, "field");
        rule.apply(in);
    }

    @Test
    void lengths_are_definite_in_their_shortest_form_and_within_the_enclosing_element() {
        Rule none = in -> { };
        assertEquals(0, refused("3080 020101 0000", none, "indefinite length is BER, not DER").offset);
        refused("30 8103 020101", none, "long-form length 3 is not minimal DER (not the shortest form)");
        refused("30 820003 020101", none, "length with a leading zero octet is not minimal DER");
        refused("30 85 0000000003 020101", none, "a length field of 5 octets is too long");
        refused("30 82 01", none, "truncated inside its length");
        refused("30", none, "truncated before its length");
        refused("30 05 020101", none, "length 5 runs past the end of its enclosing element (3 bytes left)");
    }

    @Test
    void a_long_form_length_of_128_or_more_is_read() throws Refused {
        DerCursor<Refused> in = cursor("04 8180" + "00".repeat(128));
        assertEquals(131, in.expect(DerTag.OCTET_STRING, 131, "value"));
        assertEquals(3, in.content());
    }

    @Test
    void expect_names_the_field_the_tag_and_the_offset() {
        DerCursor<Refused> in = cursor("3000 0400");
        Refused missing = assertThrows(Refused.class, () -> in.expect(DerTag.SEQUENCE, 0, "issuer"));
        assertEquals("issuer is missing (its enclosing element ends here)", missing.getMessage());
        in.seek(2);
        Refused wrong = assertThrows(Refused.class, () -> in.expect(DerTag.SEQUENCE, 4, "subject"));
        assertEquals("subject: expected tag 0x30 but found 0x04", wrong.getMessage());
        assertEquals(2, wrong.offset);
        in.seek(0);
        Refused extra = assertThrows(Refused.class, () -> in.expectEnd(4, "Certificate"));
        assertEquals("Certificate has an unexpected element 0x30 before its end", extra.getMessage());
    }

    @Test
    void integers_are_minimal() throws Refused {
        Rule integer = in -> in.checkInteger("field");
        refused("0200", integer, "empty INTEGER");
        refused("02020001", integer, "INTEGER with a redundant leading octet is not minimal DER");
        refused("0202ff80", integer, "redundant leading octet");
        accepted("02020080", integer);
        accepted("0202ff7f", integer);
        assertEquals(-2, cursor("0201fe").smallInteger(DerTag.INTEGER, 3, "version"));
        assertEquals(5, cursor("0a0105").smallInteger(DerTag.ENUMERATED, 3, "reasonCode"));
        refused("020501 00000000", in -> {
            in.seek(0);
            in.smallInteger(DerTag.INTEGER, 7, "field");
        }, "value of 5 octets is out of range");
    }

    @Test
    void booleans_are_one_octet_0x00_or_0xff() throws Refused {
        Rule bool = in -> in.checkBoolean("field");
        refused("010101", bool, "BOOLEAN 0x01 is not DER (0x00 or 0xff only)");
        refused("01027f00", bool, "BOOLEAN must have exactly one octet");
        accepted("0101ff", bool);
        assertFalse(parsedBoolean("010100"));
        assertTrue(parsedBoolean("0101ff"));
    }

    private static boolean parsedBoolean(String hex) throws Refused {
        DerCursor<Refused> in = cursor(hex);
        in.header(3, "b");
        return in.checkBoolean("b");
    }

    @Test
    void bit_strings_have_at_most_7_zero_padding_bits() throws Refused {
        Rule bits = in -> in.checkBitString("field");
        refused("0300", bits, "BIT STRING without its unused-bits octet");
        refused("030208ff", bits, "BIT STRING with 8 unused bits (at most 7)");
        refused("030103", bits, "empty BIT STRING with 3 unused bits");
        refused("03020781", bits, "BIT STRING unused bits are not zero (not DER)");
        accepted("03020780", bits);
        accepted("030100", bits);
    }

    @Test
    void null_is_empty() throws Refused {
        refused("050100", in -> in.checkNull("field"), "NULL with content");
        accepted("0500", in -> in.checkNull("field"));
    }

    @Test
    void object_identifiers_use_the_shortest_sub_identifiers_and_end_on_one() throws Refused {
        Rule oid = in -> in.checkOid("field");
        refused("0600", oid, "empty OBJECT IDENTIFIER");
        refused("06032a8001", oid, "OBJECT IDENTIFIER sub-identifier starts with 0x80 (not DER)");
        refused("06022a86", oid, "OBJECT IDENTIFIER ends inside a sub-identifier");
        refused("06 821001" + "01".repeat(4097), oid, "OBJECT IDENTIFIER of 4097 octets is too long");
        accepted("06032a8648", oid);
        byte[] oidContent = HexFormat.of().parseHex("2a864886f70d01010b");
        assertEquals("1.2.840.113549.1.1.11", DerCursor.oidText(oidContent, 0, oidContent.length));
    }

    @Test
    void times_are_read_in_their_rfc_5280_forms() throws Refused {
        assertEquals(0L, time(0x17, "700101000000Z"));
        assertEquals(-631_152_000L, time(0x17, "500101000000Z"));
        assertEquals(2_524_608_000L, time(0x18, "20500101000000Z"));
        assertEquals(951_782_400L, time(0x17, "000229000000Z"));
        assertTimeRefused(0x17, "2001010000Z", "'2001010000Z' is not in the form YYMMDDHHMMSSZ");
        assertTimeRefused(0x18, "20200101000000.5Z", "is not in the form YYYYMMDDHHMMSSZ");
        assertTimeRefused(0x17, "2A0101000000Z", "has a non-digit");
        assertTimeRefused(0x17, "010229000000Z", "is not a valid date and time");
        assertTimeRefused(0x13, "200101000000Z", "notBefore is neither UTCTime nor GeneralizedTime (tag 0x13)");
    }

    private static long time(int tag, String text) throws Refused {
        byte[] der = DerGens.encode(tag, text.getBytes(StandardCharsets.US_ASCII));
        DerCursor<Refused> in = new DerCursor<>(der, 0, Refused::new);
        long seconds = in.time(der.length, "notBefore");
        assertEquals(der.length, in.pos());
        assertEquals(tag, in.tag());
        return seconds;
    }

    private static void assertTimeRefused(int tag, String text, String expected) {
        Refused e = assertThrows(Refused.class, () -> time(tag, text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void the_year_of_a_time_is_that_of_its_two_forms() throws Refused {
        byte[] der = DerGens.encode(0x17, "491231235959Z".getBytes(StandardCharsets.US_ASCII));
        DerCursor<Refused> in = new DerCursor<>(der, 0, Refused::new);
        in.time(der.length, "thisUpdate");
        assertEquals(2049, in.timeYear());
    }

    @Test
    void high_tag_numbers_are_read_in_their_shortest_form() throws Refused {
        DerCursor<Refused> in = cursor("9f2102abcd");
        in.header(5, "field");
        assertEquals(3, in.content());
        refused("9f1e00", read -> { }, "tag number 30 must use the short form in DER");
    }

    @Test
    void the_strict_walk_refuses_ber_and_checks_contents_at_every_depth() {
        assertStrictRefused("3003 9f2100", "multi-octet tag 0x9f is not used in X.509");
        assertStrictRefused("3004 2402 0400", "constructed encoding of universal type 0x04 is BER, not DER");
        assertStrictRefused("3002 0000", "end-of-contents octets (BER) are not DER");
        assertStrictRefused("3005 a003 010101", "BOOLEAN 0x01 is not DER");
        assertStrictRefused("3004 0a020001", "INTEGER with a redundant leading octet");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i <= DerCursor.MAX_DEPTH; i++) {
            deep.append("30").append(String.format("%02x", 2 * (DerCursor.MAX_DEPTH - i)));
        }
        assertStrictRefused(deep.toString(), "nested deeper than 32 levels");
    }

    private static void assertStrictRefused(String hex, String expected) {
        byte[] der = HexFormat.of().parseHex(hex.replace(" ", ""));
        DerCursor<Refused> in = new DerCursor<>(der, 0, Refused::new);
        Refused e = assertThrows(Refused.class,
                () -> in.checkStructure(0, der.length, 0, DerCursor.Walk.STRICT, "crlExtensions"));
        assertEquals("crlExtensions: ", e.getMessage().substring(0, "crlExtensions: ".length()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void the_framing_walk_leaves_contents_and_other_constructed_types_alone() throws Refused {
        byte[] der = HexFormat.of().parseHex("300b 010101 9f2100 2c03 0c0161".replace(" ", ""));
        DerCursor<Refused> in = new DerCursor<>(der, 0, Refused::new);
        in.checkStructure(0, der.length, 0, DerCursor.Walk.FRAMING, "value");
        assertEquals(der.length, in.pos());
    }

    @Test
    void the_callers_rule_sees_every_universal_primitive_of_a_strict_walk() throws Refused {
        byte[] der = HexFormat.of().parseHex("300d 020105 3103 0c0161 8001ff 0500".replace(" ", ""));
        DerCursor<Refused> in = new DerCursor<>(der, 0, Refused::new);
        List<Integer> seen = new ArrayList<>();
        in.checkStructure(0, der.length, 0, DerCursor.Walk.STRICT, "value", (element, what) -> seen.add(
                element.tag()));
        assertEquals(List.of(DerTag.INTEGER, DerTag.UTF8_STRING, DerTag.NULL), seen);
        assertEquals(der.length, in.pos());
    }
}
