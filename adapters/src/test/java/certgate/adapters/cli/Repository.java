package certgate.adapters.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's own files are, from a test running in the adapters module. */
public final class Repository {
    private Repository() {
    }

    public static Path root() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path dir = module; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("policies")) && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("adapters"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + module);
    }

    public static Path examplePki() {
        return root().resolve("policies/examples/pki");
    }
}
