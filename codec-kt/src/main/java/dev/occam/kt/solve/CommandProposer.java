package dev.occam.kt.solve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An external program as proposer: it gets {@link Proposer#prompt(byte[])} on stdin and prints one
 * program on stdout (at most 1 MiB is read); it is killed at the deadline. Any code model can be
 * plugged in this way (a script calling an API, a local model...). One process per candidate.
 */
public final class CommandProposer implements Proposer {
    private static final int MAX_OUTPUT = 1 << 20;
    private final List<String> command;

    /** Runs {@code command} (program and arguments, no shell). */
    public CommandProposer(List<String> command) {
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
        this.command = List.copyOf(command);
    }

    @Override
    public String name() {
        return "command";
    }

    @Override
    public List<String> propose(byte[] target, int count, long deadlineNanos) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count && System.nanoTime() < deadlineNanos; i++) {
            String s = once(target, deadlineNanos);
            if (s != null) out.add(s);
        }
        return out;
    }

    private String once(byte[] target, long deadlineNanos) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process proc = pb.start();
        try {
            Thread feeder = new Thread(() -> {
                try (OutputStream os = proc.getOutputStream()) {
                    os.write(Proposer.prompt(target).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the command may exit without reading its prompt
                }
            }, "kt-command-stdin");
            feeder.setDaemon(true);
            feeder.start();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try (InputStream is = proc.getInputStream()) {
                    byte[] b = new byte[8192];
                    int n;
                    while ((n = is.read(b)) > 0) {
                        synchronized (buf) {
                            if (buf.size() < MAX_OUTPUT) buf.write(b, 0, Math.min(n, MAX_OUTPUT - buf.size()));
                        }
                    }
                } catch (IOException e) {
                    // process killed
                }
            }, "kt-command-stdout");
            reader.setDaemon(true);
            reader.start();
            long wait = Math.max(1, deadlineNanos - System.nanoTime());
            boolean exited;
            try {
                exited = proc.waitFor(wait, TimeUnit.NANOSECONDS);
                if (exited) reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (!exited) return null;
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        } finally {
            proc.destroyForcibly();
        }
    }
}
