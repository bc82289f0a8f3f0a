package dev.occam.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

/**
 * An output file written safely: bytes go to a hidden temp file in the target's directory
 * ({@code .NAME.XXXXXXXX.occam-tmp}); {@link #commit} fsyncs it and renames it to the target
 * atomically; {@link #abort} (or a shutdown on SIGINT/SIGTERM) deletes it. The target therefore
 * either does not exist or is complete. After SIGKILL a stale temp file may remain (nothing runs
 * on SIGKILL); it is never the target name.
 */
final class AtomicOutput implements AutoCloseable {
    private static final Object LOCK = new Object();
    private static final Set<Path> LIVE = new HashSet<>(); // guarded by LOCK
    private static boolean shuttingDown; // guarded by LOCK
    private static boolean hookInstalled; // guarded by LOCK
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream out;
    private boolean done;

    private AtomicOutput(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    /** Creates the temp file for {@code target} (registered for deletion on shutdown). */
    static AtomicOutput create(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        if (name.length() > 120) name = name.substring(0, 120);
        synchronized (LOCK) {
            if (shuttingDown) throw new IOException("interrupted");
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(AtomicOutput::deleteAllTemps, "occam-temp-cleanup"));
                hookInstalled = true;
            }
            for (int attempt = 0; ; attempt++) {
                Path temp = dir.resolve("." + name + "." + String.format("%08x", RANDOM.nextInt()) + ".occam-tmp");
                try {
                    FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    LIVE.add(temp);
                    return new AtomicOutput(target, temp, ch);
                } catch (FileAlreadyExistsException e) {
                    if (attempt > 100) throw e;
                }
            }
        }
    }

    /** Temp files currently in progress (for tests and diagnostics). */
    static Set<Path> liveTemps() {
        synchronized (LOCK) {
            return Set.copyOf(LIVE);
        }
    }

    private static void deleteAllTemps() {
        synchronized (LOCK) {
            shuttingDown = true;
            for (Path p : LIVE) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException | RuntimeException e) {
                    // best effort during shutdown
                }
            }
            LIVE.clear();
        }
    }

    /** Where the bytes go until {@link #commit}. Closing it does nothing harmful; commit closes too. */
    OutputStream stream() {
        return out;
    }

    Path temp() {
        return temp;
    }

    /**
     * Flushes, fsyncs and renames the temp file to the target. Without {@code overwrite} an
     * existing target is never replaced (a hard link makes the check and the rename one step where
     * the file system allows it). {@code source}, if given, lends its modification time and permissions.
     */
    void commit(boolean overwrite, Path source) throws IOException {
        out.flush();
        channel.force(true);
        channel.close();
        if (source != null) copyAttributes(source, temp);
        synchronized (LOCK) {
            if (shuttingDown) throw new IOException("interrupted");
            if (overwrite) {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                boolean linked;
                try {
                    Files.createLink(target, temp);
                    linked = true;
                } catch (FileAlreadyExistsException e) {
                    throw e;
                } catch (UnsupportedOperationException | FileSystemException e) {
                    linked = false; // no hard links here: check, then rename
                }
                if (linked) {
                    Files.deleteIfExists(temp);
                } else {
                    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        throw new FileAlreadyExistsException(target.toString());
                    }
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            LIVE.remove(temp);
            done = true;
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Deletes the temp file (no-op after a successful commit). */
    void abort() {
        if (done) return;
        done = true;
        try {
            channel.close();
        } catch (IOException e) {
            // the file is deleted next anyway
        }
        synchronized (LOCK) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // nothing more we can do; the name is hidden and recognisable
            }
            LIVE.remove(temp);
        }
    }

    @Override
    public void close() {
        abort();
    }

    private static void copyAttributes(Path source, Path dest) {
        try {
            FileTime mtime = Files.getLastModifiedTime(source);
            Files.setLastModifiedTime(dest, mtime);
        } catch (IOException | RuntimeException e) {
            // optional, like gzip on file systems without times
        }
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(source, PosixFileAttributeView.class);
            if (view != null) {
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                Files.setPosixFilePermissions(dest, perms);
            }
        } catch (IOException | RuntimeException e) {
            // optional
        }
    }

    private static void syncDirectory(Path dir) {
        if (dir == null) return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not every platform can open a directory; the rename itself is already done
        }
    }
}
