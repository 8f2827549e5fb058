package certgate.der;

/**
 * A caller's own rule for the universal primitive elements of a {@link DerCursor.Walk#STRICT} walk, checked after
 * the DER content rules (the PEM reader holds times, BMPString and UniversalString to their forms this way).
 */
@FunctionalInterface
public interface ElementRule<E extends Exception> {
    /** Checks the element the cursor read last ({@link DerCursor#tag()}, {@link DerCursor#content()}, ...). */
    void check(DerCursor<E> element, String what) throws E;

    /** No rule beyond DER's. */
    static <E extends Exception> ElementRule<E> none() {
        return (element, what) -> { };
    }
}
