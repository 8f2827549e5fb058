package certgate.adapters.cli;

import java.util.concurrent.TimeUnit;

/** Stopping a process a test started, by its PID, whatever state it is in. */
final class Processes {
    private Processes() {
    }

    /** SIGTERM, up to 5 s to exit, then SIGKILL and up to 5 s more. */
    static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
