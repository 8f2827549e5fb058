package certgate.adapters.ocsp;

import certgate.engine.testpki.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test over a new {@link OcspFixture} at {@link TestPki#NOW}, started before each test and stopped after it. */
abstract class WithOcspFixture {
    @TempDir
    Path dir;
    OcspFixture fixture;

    @BeforeEach
    void startFixture() {
        fixture = new OcspFixture(dir, Clock.fixed(TestPki.NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stopFixture() {
        fixture.close();
    }
}
