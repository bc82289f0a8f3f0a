package dev.occam.cli;

import dev.occam.core.codec.CodecRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs {@link Occam} in-process with captured streams. */
final class Cli {
    private Cli() {
    }

    /** Exit code and captured output of one run. */
    record Result(int code, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + code + ", stderr: " + stderr;
        }
    }

    /** An environment with empty stdin and discarded output (to build the command tree). */
    static Env env() {
        return new Env(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), new ByteArrayOutputStream(), false, false, false,
                Map.of(), CodecRegistry.getDefault());
    }

    static Result run(byte[] stdin, String... args) {
        return run(stdin, false, false, Map.of(), args);
    }

    static Result run(String... args) {
        return run(new byte[0], args);
    }

    static Result run(byte[] stdin, boolean stdinTty, boolean stdoutTty, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Env e = new Env(new ByteArrayInputStream(stdin), out, err, stdinTty, stdoutTty, false, env,
                CodecRegistry.getDefault());
        int code = Occam.run(e, args);
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
