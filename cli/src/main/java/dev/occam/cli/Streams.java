package dev.occam.cli;

import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small stream helpers: byte counting and shields that keep stdin/stdout open. */
final class Streams {
    private Streams() {
    }

    /** Counts the bytes read through it. */
    static final class CountingInput extends FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            if (s > 0) count += s;
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** Counts the bytes written through it; {@code close} only flushes when {@code shield} is set. */
    static class CountingOutput extends FilterOutputStream {
        long count;
        private final boolean shield;

        CountingOutput(OutputStream out, boolean shield) {
            super(out);
            this.shield = shield;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            if (shield) out.flush();
            else out.close();
        }
    }

    /**
     * Opens a file for reading. Regular files get a channel stream; anything else (a FIFO,
     * /dev/stdin, a process substitution) a {@link FileInputStream}, because a channel stream's
     * {@code available()} asks for the position, which fails with "Illegal seek" on a pipe.
     */
    static InputStream open(Path file) throws IOException {
        if (Files.isRegularFile(file)) return Files.newInputStream(file);
        return new FileInputStream(file.toFile());
    }

    /**
     * Sits between a compressor and the real output. After {@link #drop()} every later write,
     * flush and close is silently discarded, so a compressor closed after a failure (to free its
     * resources) cannot finish its format: the real output keeps an unfinished stream that every
     * decoder refuses as truncated, never a complete stream of a prefix. Close never closes the
     * real output (the caller owns it); it only flushes.
     */
    static final class Gate extends OutputStream {
        private final OutputStream out;
        private boolean dropped;

        Gate(OutputStream out) {
            this.out = out;
        }

        /** From now on everything written is discarded. */
        void drop() {
            dropped = true;
        }

        @Override
        public void write(int b) throws IOException {
            if (!dropped) out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!dropped) out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (!dropped) out.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Keeps the wrapped stream open when the reader closes it (stdin). */
    static InputStream closeShield(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // stdin stays open
            }
        };
    }

    /** Discards everything (the {@code test} command's output). */
    static final OutputStream NULL = new OutputStream() {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    };
}
