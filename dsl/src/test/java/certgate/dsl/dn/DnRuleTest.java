package certgate.dsl.dn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Junos documentation's words on container and wildcard, as examples. */
class DnRuleTest {
    private static final String JOHN = "CN=John Doe, OU=sales, O=Juniper Networks, C=US";

    private static DistinguishedName dn(String text) throws DnSyntaxException {
        return DistinguishedName.parse(text);
    }

    private static boolean container(String rule, String subject) throws DnSyntaxException {
        return new ContainerRule(dn(rule)).matches(dn(subject));
    }

    private static boolean wildcard(String rule, String subject) throws DnSyntaxException {
        return new WildcardRule(dn(rule)).matches(dn(subject));
    }

    @Test
    void container_matches_the_whole_dn_exactly() throws Exception {
        assertTrue(container(JOHN, JOHN));
        assertTrue(container("cn=john doe, ou=SALES, o=juniper networks, c=us", JOHN));
    }

    @Test
    void container_matches_a_contiguous_run_in_the_same_order() throws Exception {
        assertTrue(container("OU=sales, O=Juniper Networks", JOHN));
        assertTrue(container("C=US", JOHN));
    }

    @Test
    void container_refuses_another_order_of_the_values() throws Exception {
        assertFalse(container("O=Juniper Networks, OU=sales", JOHN));
    }

    @Test
    void container_refuses_values_that_are_not_one_run() throws Exception {
        assertFalse(container("CN=John Doe, O=Juniper Networks", JOHN));
    }

    @Test
    void container_refuses_a_value_that_differs() throws Exception {
        assertFalse(container("OU=engr, O=Juniper Networks", JOHN));
        assertFalse(container(JOHN + ", DC=extra", JOHN));
    }

    @Test
    void container_matches_repeated_fields_exactly_as_received() throws Exception {
        String subject = "CN=gw, OU=sales, OU=engr, OU=central, O=Juniper Networks";
        assertTrue(container("OU=sales, OU=engr, OU=central", subject));
        assertTrue(container("OU=engr, OU=central, O=Juniper Networks", subject));
        assertFalse(container("OU=engr, OU=sales", subject));
        assertFalse(container("OU=sales, OU=central", subject));
    }

    @Test
    void container_treats_an_asterisk_as_a_plain_value() throws Exception {
        assertFalse(container("OU=*", JOHN));
    }

    @Test
    void wildcard_compares_only_the_fields_it_names_in_any_order() throws Exception {
        assertTrue(wildcard("O=Juniper Networks", JOHN));
        assertTrue(wildcard("C=US, CN=John Doe", JOHN));
        assertTrue(wildcard("o=juniper networks, ou=Sales", JOHN));
    }

    @Test
    void wildcard_needs_every_named_field_present_and_equal() throws Exception {
        assertFalse(wildcard("O=Juniper Networks, OU=engr", JOHN));
        assertFalse(wildcard("O=Juniper Networks, L=Sunnyvale", JOHN));
    }

    @Test
    void wildcard_asterisk_means_present_with_any_value() throws Exception {
        assertTrue(wildcard("OU=*, O=Juniper Networks", JOHN));
        assertFalse(wildcard("L=*", JOHN));
    }

    @Test
    void wildcard_finds_a_field_inside_a_multi_valued_rdn() throws Exception {
        assertTrue(wildcard("UID=jd", "CN=John Doe+UID=jd, O=Corp"));
    }

    @Test
    void wildcard_matches_one_of_several_repeated_fields_of_the_subject() throws Exception {
        assertTrue(wildcard("OU=engr", "CN=gw, OU=sales, OU=engr, OU=central"));
    }

    @Test
    void a_wildcard_naming_one_type_twice_is_refused_and_points_to_container() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new WildcardRule(dn("OU=sales, OU=engr")));
        assertTrue(error.getMessage().contains("container"), error.getMessage());
    }

    @Test
    void empty_rules_are_refused_because_they_would_match_everyone() {
        assertThrows(IllegalArgumentException.class, () -> new WildcardRule(dn("")));
        assertThrows(IllegalArgumentException.class, () -> new ContainerRule(dn("")));
    }
}
