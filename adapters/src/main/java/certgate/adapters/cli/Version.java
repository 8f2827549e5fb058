package certgate.adapters.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The release, from the pom.properties Maven puts in the jar; a build from classes says so. */
final class Version {
    private static final String POM_PROPERTIES = "/META-INF/maven/certgate/adapters/pom.properties";

    private Version() {
    }

    static String current() {
        try (InputStream in = Version.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "(development build)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            return "(unknown version)";
        }
    }
}
