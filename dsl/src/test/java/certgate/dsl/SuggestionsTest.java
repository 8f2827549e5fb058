package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which known word a misspelt one is taken for. */
class SuggestionsTest {
    private static final List<String> KEYS = List.of("name", "ca-profile", "revocation-check", "remote-identity");

    @Test
    void a_word_one_edit_away_is_suggested() {
        assertEquals(Optional.of("revocation-check"), Suggestions.closest("revocaton-check", KEYS));
        assertEquals(Optional.of("name"), Suggestions.closest("nmae", KEYS));
    }

    @Test
    void a_swap_of_two_neighbours_is_one_edit() {
        assertEquals(1, Suggestions.distance("crop", "corp"));
        assertEquals(Optional.of("corp"), Suggestions.closest("crop", List.of("corp", "partner")));
    }

    @Test
    void case_is_ignored_and_the_known_spelling_is_offered() {
        assertEquals(Optional.of("REVOKED"), Suggestions.closest("revokd", List.of("OK", "REVOKED", "EXPIRED")));
        assertEquals(Optional.of("--trust"), Suggestions.closest("--TRSUT", List.of("--trust", "--chain")));
    }

    @Test
    void the_closest_of_several_close_words_wins() {
        assertEquals(Optional.of("partner"), Suggestions.closest("partnr", List.of("parent", "partner")));
    }

    @Test
    void nothing_is_suggested_beyond_the_threshold() {
        // Up to 3 characters one edit, up to 6 two, longer ones three.
        assertEquals(Optional.of("crl"), Suggestions.closest("crll", List.of("crl")));
        assertEquals(Optional.empty(), Suggestions.closest("cxrll", List.of("crl")));
        assertEquals(Optional.of("verify"), Suggestions.closest("vrfy", List.of("verify")));
        assertEquals(Optional.empty(), Suggestions.closest("vr", List.of("verify")));
        assertEquals(Optional.of("revocation-check"), Suggestions.closest("revokation-chek", KEYS));
        assertEquals(Optional.empty(), Suggestions.closest("revokaton-chek-x", KEYS));
        assertEquals(Optional.empty(), Suggestions.closest("gateways", KEYS));
    }

    @Test
    void nothing_is_suggested_from_no_words_or_for_very_long_input() {
        assertEquals(Optional.empty(), Suggestions.closest("name", List.of()));
        assertEquals(Optional.empty(), Suggestions.closest("n".repeat(100_000), List.of("name", "n".repeat(99_999))));
    }

    @Test
    void ties_go_to_the_word_that_sorts_first_whatever_the_order_given() {
        assertEquals(Optional.of("cat"), Suggestions.closest("bat", List.of("cat", "hat")));
        assertEquals(Optional.of("cat"), Suggestions.closest("bat", List.of("hat", "cat")));
        Set<String> unordered = Set.of("hat", "cat", "mat", "rat");
        assertEquals(Optional.of("cat"), Suggestions.closest("bat", unordered));
        assertEquals(Optional.of("cat"), Suggestions.closest("bat", new TreeSet<>(unordered).descendingSet()));
    }
}
