package certgate.adapters.serve;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Sets the JDK HTTP server's limits (and Nagle's algorithm off) for the test JVM before any test runs. The JDK reads
 * them once, when its first server is created; in this JVM many tests create servers (CDP fixtures, OCSP, the
 * service), so whichever ran first would otherwise decide, and the service's tests would measure other limits.
 */
public final class HttpServerLimitsFirst implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        ServeFixture.LIMITS.installInJdk();
    }
}
