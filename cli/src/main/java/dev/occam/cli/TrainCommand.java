package dev.occam.cli;

import dev.occam.pc.Idx;
import dev.occam.pc.PcModel;
import dev.occam.pc.PcTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code occam train}: model training; {@code occam train pc} learns a probabilistic-circuit image model. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
        description = "Train a model for a model-driven codec (occam train pc ...).")
final class TrainCommand extends BaseCommand {
    TrainCommand(Env env) {
        super(env);
    }

    /** The {@code train} command line with its subcommands, ready for {@code addSubcommand}. */
    static CommandLine create(Env env) {
        CommandLine cl = new CommandLine(new TrainCommand(env));
        cl.addSubcommand(new Pc(env));
        return cl;
    }

    @Override
    String commandName() {
        return "train";
    }

    @Override
    int execute() {
        env.err.println("occam: train: missing model kind (pc)");
        env.err.println("Try 'occam train --help' for more information.");
        return Occam.EXIT_USAGE;
    }

    /** {@code occam train pc}: Hidden Chow-Liu Tree PC by EM on IDX images. */
    @Command(name = "pc", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = {"Train a Hidden Chow-Liu Tree probabilistic circuit on 8-bit images (IDX, .gz ok) for codec pc.",
                    "Prints held-out bits per dimension after each epoch."},
            footer = {"", "Example (the built-in MNIST model):",
                    "  occam train pc --data train-images-idx3-ubyte.gz --held-out t10k-images-idx3-ubyte.gz --latent 16 --epochs 12 --mini-batch-epochs 2 -o mnist.pcm"})
    static final class Pc extends BaseCommand {
        @Option(names = "--data", paramLabel = "FILE", description = "Training images: IDX file (gzip ok).")
        Path data;

        @Option(names = "--images", arity = "1..*", paramLabel = "DIR|FILE",
                description = "Train a patch model on 8-bit PGM/PPM/PNG images (files, or directories of them) instead of --data.")
        List<Path> images;

        @Option(names = "--held-out-images", arity = "1..*", paramLabel = "DIR|FILE",
                description = "Held-out images for the per-epoch bpd with --images (default: 2%% of the training patches).")
        List<Path> heldOutImages;

        @Option(names = "--patch", defaultValue = "8", paramLabel = "P", description = "Patch size P (P x P patches) with --images (default ${DEFAULT-VALUE}).")
        int patch;

        @Option(names = "--transform", defaultValue = "med", paramLabel = "none|med",
                description = "Plane transform before patching with --images: med = MED prediction residuals (what codec pc uses by default), none = pixels (default ${DEFAULT-VALUE}).")
        String transform;

        @Option(names = "--stride", defaultValue = "0", paramLabel = "S", description = "Step between training patches with --images (default P/2; held-out patches use P).")
        int stride;

        @Option(names = "--held-out", paramLabel = "FILE", description = "Held-out IDX images for the per-epoch bpd (default: the last 2%% of --data, at most 2000 images, not trained on).")
        Path heldOut;

        @Option(names = "--latent", defaultValue = "16", paramLabel = "K", description = "Latent states per pixel (default ${DEFAULT-VALUE}).")
        int latent;

        @Option(names = "--epochs", defaultValue = "4", paramLabel = "N", description = "EM epochs: the first half mini-batch, the rest full-batch (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--mini-batch-epochs", defaultValue = "-1", paramLabel = "N", description = "How many of the epochs are mini-batch EM (default: half, rounded up).")
        int miniBatchEpochs;

        @Option(names = "--batch-size", defaultValue = "1024", paramLabel = "N", description = "Mini-batch size (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--step", defaultValue = "0.2", paramLabel = "ETA", description = "Mini-batch EM step size (default ${DEFAULT-VALUE}).")
        double step;

        @Option(names = "--smoothing", defaultValue = "0.01", paramLabel = "A", description = "Additive smoothing of every count (default ${DEFAULT-VALUE}).")
        double smoothing;

        @Option(names = "--init", paramLabel = "M.pcm",
                description = "Continue EM from this model (same tree) instead of a new Chow-Liu tree; --latent must be a multiple of its k: every state is split into that many copies, with up to 10%% seeded noise (also when the multiple is 1).")
        Path init;

        @Option(names = "--value-kernel", defaultValue = "5", paramLabel = "W",
                description = "Spread part of each rare grey level's count over the rare levels within +-W (0 = off; default ${DEFAULT-VALUE}).")
        int kernelWidth;

        @Option(names = "--value-kernel-weight", defaultValue = "0.3", paramLabel = "B",
                description = "Share of a rare level's count that the value kernel spreads (default ${DEFAULT-VALUE}).")
        double kernelWeight;

        @Option(names = "--augment-shifts",
                description = "Also train on every training image shifted by one pixel left, right, up and down (5x the data; a regulariser).")
        boolean augmentShifts;

        @Option(names = "--max-images", defaultValue = "0", paramLabel = "N", description = "Train on at most N images (0 = all).")
        int maxImages;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = {"-T", "--threads"}, defaultValue = "0", paramLabel = "N", description = "Training threads (0 = all cores, the default).")
        int threads;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "M.pcm", description = "Model file to write.")
        Path output;

        @Option(names = {"-f", "--force"}, description = "Overwrite an existing output file.")
        boolean force;

        Pc(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "train pc";
        }

        @Override
        int execute() throws Exception {
            if (latent < 1 || latent > 256) throw new Failure(Occam.EXIT_USAGE, "--latent must be in 1..256");
            if (epochs < 1) throw new Failure(Occam.EXIT_USAGE, "--epochs must be >= 1");
            if (batchSize < 1) throw new Failure(Occam.EXIT_USAGE, "--batch-size must be >= 1");
            if (!(step > 0 && step <= 1)) throw new Failure(Occam.EXIT_USAGE, "--step must be in (0, 1]");
            if (!(smoothing > 0)) throw new Failure(Occam.EXIT_USAGE, "--smoothing must be > 0");
            if (kernelWidth < 0 || kernelWidth > 255) throw new Failure(Occam.EXIT_USAGE, "--value-kernel must be in 0..255");
            if (!(kernelWeight >= 0 && kernelWeight <= 1)) throw new Failure(Occam.EXIT_USAGE, "--value-kernel-weight must be in [0, 1]");
            if (maxImages < 0) throw new Failure(Occam.EXIT_USAGE, "--max-images must be >= 0");
            if (threads < 0) throw new Failure(Occam.EXIT_USAGE, "-T must be >= 0");
            if (Files.exists(output) && !force) throw new Failure(Occam.EXIT_FAILURE, output + " already exists (use -f to overwrite)");
            Path outDir = output.toAbsolutePath().getParent();
            if (outDir != null && !Files.isDirectory(outDir)) {
                throw new Failure(Occam.EXIT_FAILURE, output + ": the directory " + outDir + " does not exist");
            }
            if ((data == null) == (images == null)) throw new Failure(Occam.EXIT_USAGE, "give either --data FILE (IDX) or --images DIR|FILE...");
            if (images == null && heldOutImages != null) throw new Failure(Occam.EXIT_USAGE, "--held-out-images needs --images");
            PcModel startModel = null;
            if (init != null) {
                try {
                    startModel = PcModel.load(init);
                } catch (NoSuchFileException e) {
                    throw new Failure(Occam.EXIT_FAILURE, init + ": no such file");
                }
                if (latent % startModel.latentStates() != 0) {
                    throw new Failure(Occam.EXIT_USAGE, "--latent must be a multiple of the --init model's " + startModel.latentStates() + " latent states");
                }
            }
            Idx.Images all = images != null ? patchSet(images, stride > 0 ? stride : Math.max(1, patch / 2)) : read(data);
            if (startModel != null && (startModel.rows() != all.rows() || startModel.cols() != all.cols())) {
                throw new Failure(Occam.EXIT_FAILURE, init + ": the model is for " + startModel.rows() + "x" + startModel.cols()
                        + " images, the training images are " + all.rows() + "x" + all.cols());
            }
            List<byte[]> train = new ArrayList<>(all.images());
            List<byte[]> held;
            if (heldOutImages != null) {
                held = patchSet(heldOutImages, patch).images();
            } else if (heldOut != null) {
                Idx.Images h = read(heldOut);
                if (h.rows() != all.rows() || h.cols() != all.cols()) {
                    throw new Failure(Occam.EXIT_FAILURE, heldOut + ": images are " + h.rows() + "x" + h.cols() + ", training images " + all.rows() + "x" + all.cols());
                }
                held = h.images();
            } else {
                int n = Math.min(2000, train.size() / 50);
                held = new ArrayList<>(train.subList(train.size() - n, train.size()));
                train = new ArrayList<>(train.subList(0, train.size() - n));
            }
            if (maxImages > 0 && train.size() > maxImages) train = new ArrayList<>(train.subList(0, maxImages));
            if (augmentShifts) train = PcTrainer.withShifts(train, all.rows(), all.cols());
            if (train.isEmpty()) throw new Failure(Occam.EXIT_FAILURE, data + ": no training images");
            int cores = Runtime.getRuntime().availableProcessors();
            int threads = this.threads == 0 ? cores : Math.min(this.threads, cores);
            if (miniBatchEpochs > epochs) throw new Failure(Occam.EXIT_USAGE, "--mini-batch-epochs must be <= --epochs");
            int mini = miniBatchEpochs >= 0 ? miniBatchEpochs : Math.max(1, (epochs + 1) / 2);
            PcTrainer.Settings s = new PcTrainer.Settings(latent, mini, epochs - mini, batchSize, step, smoothing, smoothing, threads, seed,
                    kernelWidth, kernelWeight);
            if (!quiet) {
                env.err.printf(Locale.ROOT, "occam: train pc: %d training images %dx%d, %d held out, k=%d, %d mini-batch + %d full-batch epochs, %d threads%n",
                        train.size(), all.rows(), all.cols(), held.size(), latent, mini, epochs - mini, threads);
            }
            boolean bar = env.stderrTerminal && !quiet;
            long start = System.nanoTime();
            PcModel m = startModel == null
                    ? PcTrainer.train(train, held, all.rows(), all.cols(), s, p -> progress(p, bar, start))
                    : PcTrainer.train(train, held, startModel, s, p -> progress(p, bar, start));
            byte[] bytes = m.toBytes();
            PcModel q = PcModel.fromBytes(bytes, output.toString());
            if (!quiet && !held.isEmpty()) {
                env.err.printf(Locale.ROOT, "occam: train pc: saved model (quantised parameters): held-out %.4f bits per dimension%n",
                        PcTrainer.bitsPerDim(q, held, threads));
            }
            write(bytes);
            if (!quiet) env.err.printf(Locale.ROOT, "occam: train pc: wrote %s (%d bytes) in %.1f s%n", output, bytes.length, (System.nanoTime() - start) / 1e9);
            return Occam.EXIT_OK;
        }

        private void progress(PcTrainer.Progress p, boolean bar, long start) {
            if (quiet) return;
            double secs = (System.nanoTime() - start) / 1e9;
            if (p.epoch() == 0) {
                if (bar) env.err.printf(Locale.ROOT, "\r%s ...", p.phase());
                return;
            }
            if (p.fraction() < 1.0 || Double.isNaN(p.trainBpd())) {
                if (bar) {
                    int w = 30;
                    int filled = (int) Math.round(p.fraction() * w);
                    env.err.printf(Locale.ROOT, "\repoch %d/%d %-14s [%s%s] %3d%% %.0fs", p.epoch(), p.epochs(), p.phase(),
                            "#".repeat(filled), ".".repeat(w - filled), (int) (p.fraction() * 100), secs);
                    env.err.flush();
                }
                return;
            }
            if (bar) env.err.print("\r" + " ".repeat(79) + "\r");
            env.err.printf(Locale.ROOT, "epoch %d/%d %s: train %.4f bpd, held-out %.4f bpd (%.0f s)%n", p.epoch(), p.epochs(), p.phase(),
                    p.trainBpd(), p.heldOutBpd(), secs);
            env.err.flush();
        }

        /** Every P x P patch at the given stride of every plane of the images (directories: their PGM/PPM/PNG files, sorted). */
        private Idx.Images patchSet(List<Path> inputs, int step) throws IOException, Failure {
            if (patch < 1 || patch > 64) throw new Failure(Occam.EXIT_USAGE, "--patch must be in 1..64");
            int t = dev.occam.pc.Transform.byName(transform);
            if (t < 0) throw new Failure(Occam.EXIT_USAGE, "--transform must be none or med");
            List<byte[]> out = new ArrayList<>();
            for (Path in : inputs) {
                List<Path> files = new ArrayList<>();
                if (Files.isDirectory(in)) {
                    try (var s = Files.list(in)) {
                        s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(pgm|ppm|png)"))
                                .sorted().forEach(files::add);
                    }
                } else {
                    files.add(in);
                }
                for (Path f : files) {
                    for (dev.occam.pc.Images.Plane pl : dev.occam.pc.Images.read(f)) {
                        byte[] px = dev.occam.pc.Transform.forward(t, pl.pixels(), pl.width(), pl.height());
                        out.addAll(dev.occam.pc.Images.patches(new dev.occam.pc.Images.Plane(pl.width(), pl.height(), px), patch, patch, step));
                    }
                }
            }
            if (out.isEmpty()) throw new Failure(Occam.EXIT_FAILURE, "no " + patch + "x" + patch + " patches in " + inputs);
            return new Idx.Images(patch, patch, out);
        }

        private static Idx.Images read(Path file) throws IOException {
            return Idx.read(file);
        }

        /** Writes the model like every other output: a temp file renamed atomically, mode from the umask (not 0600). */
        private void write(byte[] bytes) throws IOException {
            AtomicOutput out = AtomicOutput.create(output);
            try {
                out.stream().write(bytes);
                out.commit(true, null);
            } finally {
                out.abort();
            }
        }
    }
}
