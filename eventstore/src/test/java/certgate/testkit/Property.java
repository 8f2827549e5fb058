package certgate.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs a property over generated values on plain JUnit 5:
 *
 * <pre>{@code
 * Property.forAll(Gens.damaged(der)).check(bytes -> assertCleanErrorOrParse(bytes));
 * }</pre>
 *
 * <p>The number of tries is the property's own (default 100) times {@code -Dcertgate.tries=N} / 100, so CI can
 * raise every property at once. Each try draws from its own seed; a failure is shrunk (when the generator
 * shrinks) and reported with that seed, and {@code -Dcertgate.seed=S} replays exactly that try.
 */
public final class Property<T> {
    private static final int DEFAULT_TRIES = 100;
    private static final int MAX_SHRINK_STEPS = 2_000;

    private final Gen<T> gen;
    private int tries = DEFAULT_TRIES;

    private Property(Gen<T> gen) {
        this.gen = Objects.requireNonNull(gen, "gen");
    }

    public static <T> Property<T> forAll(Gen<T> gen) {
        return new Property<>(gen);
    }

    /** Tries at the default scale of 100; scaled by {@code -Dcertgate.tries}. */
    public Property<T> tries(int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be positive, was " + tries);
        }
        this.tries = tries;
        return this;
    }

    /** Runs the property; a value fails when {@code body} throws (an assertion or anything else). */
    public void check(Consumer<T> body) {
        String pinned = System.getProperty("certgate.seed");
        if (pinned != null && !pinned.isBlank()) {
            runOne(Long.parseLong(pinned.trim()), body);
            return;
        }
        long scale = Long.getLong("certgate.tries", DEFAULT_TRIES);
        long count = Math.max(1, tries * scale / DEFAULT_TRIES);
        SplittableRandom seeds = new SplittableRandom();
        for (long i = 0; i < count; i++) {
            runOne(seeds.nextLong(), body);
        }
    }

    private void runOne(long seed, Consumer<T> body) {
        T value = gen.generate(new SplittableRandom(seed));
        Throwable failure = failureOf(body, value);
        if (failure == null) {
            return;
        }
        Shrunk<T> smallest = shrink(value, failure, body);
        AssertionError error = new AssertionError("property failed; reproduce with -Dcertgate.seed=" + seed
                + "\n  counterexample (after " + smallest.steps + " shrink steps): " + describe(smallest.value)
                + "\n  failure: " + smallest.failure, smallest.failure);
        throw error;
    }

    private Shrunk<T> shrink(T value, Throwable failure, Consumer<T> body) {
        T current = value;
        Throwable currentFailure = failure;
        int steps = 0;
        boolean progressed = true;
        while (progressed && steps < MAX_SHRINK_STEPS) {
            progressed = false;
            for (T candidate : (Iterable<T>) gen.shrink(current).limit(200)::iterator) {
                steps++;
                Throwable candidateFailure = failureOf(body, candidate);
                if (candidateFailure != null) {
                    current = candidate;
                    currentFailure = candidateFailure;
                    progressed = true;
                    break;
                }
                if (steps >= MAX_SHRINK_STEPS) {
                    break;
                }
            }
        }
        return new Shrunk<>(current, currentFailure, steps);
    }

    private static <T> Throwable failureOf(Consumer<T> body, T value) {
        try {
            body.accept(value);
            return null;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;
            }
            return t;
        }
    }

    static String describe(Object value) {
        if (value instanceof byte[] bytes) {
            String hex = java.util.HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 256));
            return bytes.length + " bytes: " + hex + (bytes.length > 256 ? "..." : "");
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Property::describe).toList().toString();
        }
        if (value instanceof Object[] array) {
            return Arrays.deepToString(array);
        }
        String text = String.valueOf(value);
        return text.length() > 2_000 ? text.substring(0, 2_000) + "..." : text;
    }

    private record Shrunk<T>(T value, Throwable failure, int steps) {
    }
}
