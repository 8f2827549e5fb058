package certgate.engine.conformance;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared conformance suites live: -Dcertgate.shared (set by surefire), else ../../shared. */
final class SharedFiles {
    private SharedFiles() {
    }

    static Path conformance(String suite) {
        String configured = System.getProperty("certgate.shared");
        Path base = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..", "..", "shared");
        Path dir = base.resolve("conformance").resolve(suite);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("conformance suite '" + suite + "' not found at " + dir.toAbsolutePath()
                    + " (set -Dcertgate.shared to the shared directory)");
        }
        return dir;
    }
}
