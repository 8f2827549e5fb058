package certgate.dsl.dn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DistinguishedNameTest {

    private static DistinguishedName dn(String text) throws DnSyntaxException {
        return DistinguishedName.parse(text);
    }

    private static int columnOf(String text) {
        return assertThrows(DnSyntaxException.class, () -> DistinguishedName.parse(text)).column();
    }

    @Test
    void parses_the_seeds_example_most_specific_rdn_first() throws Exception {
        DistinguishedName name = dn("CN=John Doe, OU=sales, O=Juniper Networks, C=US");
        assertEquals(List.of(Rdn.of("2.5.4.3", "John Doe"), Rdn.of("2.5.4.11", "sales"),
                Rdn.of("2.5.4.10", "Juniper Networks"), Rdn.of("2.5.4.6", "US")), name.rdns());
    }

    @Test
    void keywords_are_case_insensitive_and_spaces_around_separators_are_ignored() throws Exception {
        assertEquals(dn("CN=a,OU=b+UID=c"), dn("  cn = a ,  ou=b + uid = c  "));
    }

    @Test
    void every_documented_keyword_maps_to_its_oid() throws Exception {
        DistinguishedName name = dn("CN=1, OU=2, O=3, L=4, ST=5, C=6, DC=7, E=8, emailAddress=9, serialNumber=10,"
                + " UID=11, STREET=12, T=13, title=14, GN=15, SN=16");
        List<String> oids = name.rdns().stream().map(rdn -> rdn.attributes().get(0).oid()).toList();
        assertEquals(List.of("2.5.4.3", "2.5.4.11", "2.5.4.10", "2.5.4.7", "2.5.4.8", "2.5.4.6",
                "0.9.2342.19200300.100.1.25", "1.2.840.113549.1.9.1", "1.2.840.113549.1.9.1", "2.5.4.5",
                "0.9.2342.19200300.100.1.1", "2.5.4.9", "2.5.4.12", "2.5.4.12", "2.5.4.42", "2.5.4.4"), oids);
    }

    @Test
    void a_dotted_oid_is_its_own_keyword_when_none_is_known() throws Exception {
        DnAttribute attribute = dn("2.5.4.97=VATDE-123").rdns().get(0).attributes().get(0);
        assertEquals("2.5.4.97", attribute.keyword());
        assertEquals("CN", dn("OID.2.5.4.3=x").rdns().get(0).attributes().get(0).keyword());
    }

    @Test
    void escapes_decode_to_the_characters_they_stand_for() throws Exception {
        assertEquals("Doe, John", value("CN=Doe\\, John"));
        assertEquals("a+b", value("CN=a\\+b"));
        assertEquals("say \"hi\"", value("CN=say \\22hi\\22"));
        assertEquals("caf\u00e9", value("CN=caf\\C3\\A9"));
        assertEquals(" padded ", value("CN=\\ padded\\ "));
        assertEquals("#1", value("CN=\\#1"));
    }

    @Test
    void a_hex_value_holding_a_der_string_decodes_to_that_string() throws Exception {
        assertEquals("abc", value("CN=#0C03616263"));
        assertEquals("US", value("C=#13025553"));
        assertEquals("#020105", value("CN=#020105"));
    }

    @Test
    void trailing_unescaped_spaces_are_not_part_of_the_value() throws Exception {
        assertEquals("a b", value("CN=  a b   , O=x").trim());
        assertEquals("a b", value("CN=a b   "));
    }

    @Test
    void the_empty_string_is_the_empty_dn() throws Exception {
        assertTrue(dn("").isEmpty());
        assertTrue(dn("   ").isEmpty());
        assertEquals("", dn("").toString());
    }

    @Test
    void a_semicolon_is_not_a_separator_and_the_error_names_its_column() {
        assertEquals(4, columnOf("CN=a;O=b"));
        assertEquals(9, columnOf("CN=a, O=b; C=US"));
    }

    @Test
    void syntax_errors_name_the_column_where_they_were_found() {
        assertEquals(6, columnOf("CN=a, XX=b"));
        assertEquals(5, columnOf("CN=a,"));
        assertEquals(3, columnOf("CN a"));
        assertEquals(3, columnOf("CN=\"quoted\""));
        assertEquals(4, columnOf("CN=a\\q"));
        assertEquals(3, columnOf("CN=\\C3"));
        assertEquals(0, columnOf("=a"));
        assertEquals(0, columnOf("1..2=a"));
        assertEquals(3, columnOf("CN=#0"));
    }

    @Test
    void the_error_message_names_the_dn_and_the_problem() {
        DnSyntaxException error = assertThrows(DnSyntaxException.class, () -> dn("CN=a, XX=b"));
        assertTrue(error.getMessage().contains("'CN=a, XX=b'"), error.getMessage());
        assertTrue(error.getMessage().contains("unknown attribute type 'XX'"), error.getMessage());
    }

    @Test
    void to_string_writes_keywords_with_comma_space_and_escapes_specials() throws Exception {
        DistinguishedName name = new DistinguishedName(List.of(
                new Rdn(List.of(new DnAttribute("2.5.4.3", "Doe, John"), new DnAttribute("0.9.2342.19200300.100.1.1",
                        "j+d"))),
                Rdn.of("2.5.4.11", " #lead"), Rdn.of("2.5.4.97", "x")));
        assertEquals("CN=Doe\\, John+UID=j\\+d, OU=\\ #lead, 2.5.4.97=x", name.toString());
    }

    @Test
    void values_compare_as_prepared_strings() throws Exception {
        assertTrue(dn("o=corp").sameAs(dn("O=Corp")));
        assertTrue(dn("CN=John  Doe, O=Corp").sameAs(dn("cn= john doe ,o=CORP")));
        assertTrue(dn("CN=Stra\u00dfe").sameAs(dn("CN=STRASSE")));
        assertFalse(dn("CN=John Doe").sameAs(dn("CN=JohnDoe")));
    }

    @Test
    void same_as_needs_the_same_rdns_in_the_same_order() throws Exception {
        assertFalse(dn("CN=a, O=b").sameAs(dn("O=b, CN=a")));
        assertFalse(dn("CN=a, O=b").sameAs(dn("CN=a")));
        assertFalse(dn("CN=a").sameAs(dn("OU=a")));
        assertTrue(dn("CN=a+UID=b, O=c").sameAs(dn("UID=b+CN=a, O=c")));
        assertFalse(dn("CN=a+UID=b").sameAs(dn("CN=a, UID=b")));
    }

    @Test
    void e_and_email_address_are_one_attribute_type() throws Exception {
        assertTrue(dn("E=a@example.net").sameAs(dn("emailAddress=A@Example.net")));
    }

    private static String value(String text) throws DnSyntaxException {
        return dn(text).rdns().get(0).attributes().get(0).value();
    }
}
