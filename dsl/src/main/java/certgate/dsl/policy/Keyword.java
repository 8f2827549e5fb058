package certgate.dsl.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** An enum constant as a policy file spells it: lower case, dash for underscore (pre-shared-key). */
public interface Keyword {

    String name();

    default String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant spelt {@code text} in a policy file. */
    static <E extends Enum<E> & Keyword> Optional<E> parse(Class<E> type, String text) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.keyword().equals(text)).findFirst();
    }

    static <E extends Enum<E> & Keyword> List<String> keywords(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Keyword::keyword).toList();
    }
}
