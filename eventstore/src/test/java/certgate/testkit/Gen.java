package certgate.testkit;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A seeded generator of test values, with an optional shrinker that proposes smaller variants of a value.
 * Generators are built once (see {@link Gens}) and reused by every property.
 */
public interface Gen<T> {

    T generate(SplittableRandom random);

    /** Smaller candidates for a failing value, most aggressive first. Empty when the value does not shrink. */
    default Stream<T> shrink(T value) {
        return Stream.empty();
    }

    /** Maps generated values; the result does not shrink (the mapping cannot be undone). */
    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        Gen<T> source = this;
        return random -> mapper.apply(source.generate(random));
    }

    /** Chooses a generator from a generated value; does not shrink. */
    default <R> Gen<R> flatMap(Function<? super T, Gen<R>> next) {
        Gen<T> source = this;
        return random -> next.apply(source.generate(random)).generate(random);
    }

    /** The same values, with the given shrinker. */
    default Gen<T> withShrinker(Function<T, Stream<T>> shrinker) {
        Gen<T> source = this;
        return new Gen<>() {
            @Override
            public T generate(SplittableRandom random) {
                return source.generate(random);
            }

            @Override
            public Stream<T> shrink(T value) {
                return shrinker.apply(value);
            }
        };
    }
}
