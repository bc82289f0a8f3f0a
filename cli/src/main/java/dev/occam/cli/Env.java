package dev.occam.cli;

import dev.occam.core.codec.CodecRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one {@code occam} invocation runs against: the three standard streams, whether each is a
 * terminal, the environment and the codec registry. Tests build their own; {@link Occam#run(String...)}
 * uses the process's.
 */
final class Env {
    final InputStream stdin;
    final OutputStream stdout;
    final PrintStream err;
    final boolean stdinTerminal;
    final boolean stdoutTerminal;
    final boolean stderrTerminal;
    final Map<String, String> env;
    final CodecRegistry registry;

    Env(InputStream stdin, OutputStream stdout, OutputStream stderr, boolean stdinTerminal,
        boolean stdoutTerminal, boolean stderrTerminal, Map<String, String> env, CodecRegistry registry) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.err = stderr instanceof PrintStream p ? p : new PrintStream(stderr, true, StandardCharsets.UTF_8);
        this.stdinTerminal = stdinTerminal;
        this.stdoutTerminal = stdoutTerminal;
        this.stderrTerminal = stderrTerminal;
        this.env = env;
        this.registry = registry;
    }

    /** The process's streams (unbuffered file descriptors, so write errors surface) and terminals. */
    static Env system() {
        return new Env(new java.io.FileInputStream(java.io.FileDescriptor.in),
                new java.io.FileOutputStream(java.io.FileDescriptor.out),
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8),
                isTerminal(0), isTerminal(1), isTerminal(2), System.getenv(), CodecRegistry.getDefault());
    }

    /** Streams supplied by a caller (tests, embedding): none of them is a terminal. */
    static Env of(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        return new Env(stdin, stdout, stderr, false, false, false, Map.of(), CodecRegistry.getDefault());
    }

    boolean debug() {
        return "1".equals(env.get("OCCAM_DEBUG"));
    }

    /**
     * True when file descriptor {@code fd} is a terminal: on Linux /proc/self/fd/N links to
     * /dev/pts/* or /dev/tty*; elsewhere {@link System#console()} (which needs stdin and stdout
     * to both be terminals) is the fallback.
     */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            if (Files.isSymbolicLink(link)) {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            }
        } catch (Exception e) {
            // fall through to the portable guess
        }
        return System.console() != null;
    }
}
