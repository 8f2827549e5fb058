package certgate.eventstore;

import java.time.Clock;

class InMemoryEventLogTest implements EventLogContract {
    @Override
    public EventLog newLog(Clock clock) {
        return InMemoryEventLog.create(clock);
    }
}
