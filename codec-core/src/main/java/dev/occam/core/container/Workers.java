package dev.occam.core.container;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Worker pools and future plumbing for the block pipelines of the frame streams. */
final class Workers {
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** A unit of block work that may fail with an IOException. */
    interface Task<T> {
        T call() throws IOException;
    }

    private Workers() {
    }

    /**
     * A pool of {@code threads} daemon threads named {@code occam-<role>-<pool>-<n>}. Idle threads
     * time out, so even a stream that is never closed leaves no threads behind for long.
     */
    static ExecutorService newPool(int threads, String role) {
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor ex = new ThreadPoolExecutor(threads, threads, 2, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "occam-" + role + "-" + pool + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ex.allowCoreThreadTimeOut(true);
        return ex;
    }

    /** Runs the task on the pool, or right here (as a completed future) when there is no pool. */
    static <T> Future<T> submit(ExecutorService pool, Task<T> task) {
        if (pool == null) {
            try {
                return CompletableFuture.completedFuture(task.call());
            } catch (IOException | RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return pool.submit(task::call);
    }

    /** The future's value; its IOException is rethrown as is, a RuntimeException is wrapped. */
    static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a block worker");
        } catch (CancellationException e) {
            throw new IOException("block work was cancelled", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof Error err) throw err;
            throw new IOException("block worker failed: " + c, c);
        }
    }
}
