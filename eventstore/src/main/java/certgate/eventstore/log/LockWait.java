package certgate.eventstore.log;

import java.time.Duration;

/** Time for waiting on the writer lock: the system's, or a test's that need not sleep. */
interface LockWait {
    LockWait SYSTEM = new LockWait() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };

    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;
}
