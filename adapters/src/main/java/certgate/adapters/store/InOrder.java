package certgate.adapters.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Work on the items of a log read (re-deciding answers, for {@link Audit} and {@link WhatIf}), spread over threads,
 * with each result handed back on the reading thread in the order the items came, whatever the number of threads.
 *
 * <p>With one thread, each item is worked on as it is added. With more, items go to a fixed pool in batches large
 * enough that handing over costs little next to the work; at most a few batches per thread are in flight, so memory
 * stays bounded however long the log. The work must be safe to run concurrently: an engine value is immutable and
 * its verification cache safe for concurrent use, so decisions are.
 *
 * @param <T> an item, as the reading thread adds it
 * @param <R> the work's result for one item (may be null)
 */
final class InOrder<T, R> implements AutoCloseable {
    /** Items handed to a worker at once. */
    private static final int BATCH = 256;

    private final Function<T, R> work;
    private final BiConsumer<T, R> results;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<Done<T, R>>> inFlight = new ArrayDeque<>();
    private List<T> batch = new ArrayList<>(BATCH);

    private record Done<T, R>(List<T> items, List<R> results) {
    }

    /** {@code threads} working threads named {@code name}-N (1: the work runs on the adding thread). */
    InOrder(int threads, String name, Function<T, R> work, BiConsumer<T, R> results) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.work = work;
        this.results = results;
        this.maxInFlight = threads * 4;
        if (threads == 1) {
            this.pool = null;
        } else {
            AtomicInteger created = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads, task -> {
                Thread thread = new Thread(task, name + "-" + created.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    void add(T item) {
        if (pool == null) {
            results.accept(item, work.apply(item));
            return;
        }
        batch.add(item);
        if (batch.size() == BATCH) {
            submit();
        }
    }

    /** Waits for every item added and hands over the last results. */
    void finish() {
        if (pool == null) {
            return;
        }
        if (!batch.isEmpty()) {
            submit();
        }
        while (!inFlight.isEmpty()) {
            takeOldest();
        }
    }

    private void submit() {
        List<T> items = batch;
        batch = new ArrayList<>(BATCH);
        inFlight.add(pool.submit(() -> {
            List<R> done = new ArrayList<>(items.size());
            for (T item : items) {
                done.add(work.apply(item));
            }
            return new Done<>(items, done);
        }));
        while (inFlight.size() > maxInFlight) {
            takeOldest();
        }
    }

    private void takeOldest() {
        Done<T, R> done;
        try {
            done = inFlight.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-deciding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
        for (int i = 0; i < done.items().size(); i++) {
            results.accept(done.items().get(i), done.results().get(i));
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
