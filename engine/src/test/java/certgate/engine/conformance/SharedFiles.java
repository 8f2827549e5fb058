package certgate.engine.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Where the shared conformance suites (NIST PKITS, x509-limbo) live: {@code -Dcertgate.shared} (set by surefire
 * to {@code ../shared} beside the clone), else {@code ../../shared}. Every test that reads them asks here.
 *
 * <p>A fresh clone has no {@code ../shared}: its tests then skip (one line on stderr says so and how to get the
 * suites) rather than fail, so {@code mvn verify} passes on a machine with only a JDK and Maven. Under CI
 * ({@code CI=true}) or with {@code -Dcertgate.conformance=required} a missing suite fails the test instead,
 * so the suites cannot silently stop running where they are supposed to run.
 */
public final class SharedFiles {
    private SharedFiles() {
    }

    /** The tests a {@code @TestFactory} makes from a suite's directory. */
    @FunctionalInterface
    public interface SuiteTests {
        Stream<DynamicTest> of(Path suiteDirectory) throws IOException;
    }

    /** The directory of one suite ({@code pkits}, {@code limbo}) for a {@code @Test}; skips or fails when absent. */
    public static Path conformance(String suite, Class<?> test) {
        Optional<Path> dir = find(suite, test);
        return dir.orElseGet(() -> Assumptions.abort(skipLine(test)));
    }

    /**
     * The dynamic tests of a {@code @TestFactory} over one suite; when it is absent, one test that is reported as
     * skipped (an aborted factory would not be counted at all), or a failure where the suites are required.
     */
    public static Stream<DynamicTest> dynamicTests(String suite, Class<?> test, SuiteTests tests)
            throws IOException {
        Optional<Path> dir = find(suite, test);
        if (dir.isPresent()) {
            return tests.of(dir.get());
        }
        return Stream.of(DynamicTest.dynamicTest("conformance suite '" + suite + "' present",
                () -> Assumptions.abort(skipLine(test))));
    }

    private static Optional<Path> find(String suite, Class<?> test) {
        Path dir = base().resolve(suite);
        if (Files.isDirectory(dir)) {
            return Optional.of(dir);
        }
        if (required()) {
            throw new IllegalStateException("conformance suite '" + suite + "' not found at " + dir.toAbsolutePath()
                    .normalize() + "; it is required here (CI=true or -Dcertgate.conformance=required): put NIST "
                    + "PKITS and x509-limbo there (see CONFORMANCE.md) or run with -Dcertgate.shared=DIR");
        }
        System.err.println(skipLine(test));
        return Optional.empty();
    }

    private static String skipLine(Class<?> test) {
        return "certgate: conformance suites not found at " + base().toAbsolutePath().normalize() + "; put NIST "
                + "PKITS and x509-limbo there (see CONFORMANCE.md) or run with -Dcertgate.shared=DIR; skipping "
                + test.getSimpleName();
    }

    private static Path base() {
        String configured = System.getProperty("certgate.shared");
        Path shared = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..", "..", "shared");
        return shared.resolve("conformance");
    }

    /** True where the suites must run: CI ({@code CI=true}) or {@code -Dcertgate.conformance=required}. */
    static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI"))
                || "required".equals(System.getProperty("certgate.conformance"));
    }
}
