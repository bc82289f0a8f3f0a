package dev.occam.cli;

import dev.occam.pc.Idx;
import dev.occam.pc.PcMixture;
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
        cl.addSubcommand(new Compact(env));
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

    /** {@code occam train pc-compact}: rewrites a {@code .pcm} file in the compact format (version 3). */
    @Command(name = "pc-compact", mixinStandardHelpOptions = true, versionProvider = Occam.Version.class,
            description = {"Rewrite a PC model file (.pcm version 1 or 2) in the compact format (version 3): every probability",
                    "snapped to a grid from 1/85 bit (p near 1) to 1 bit (p < 2^-13) and arithmetic-coded; about 4x smaller,",
                    "+0.0001 bits per dimension on MNIST. The same bytes as train pc --compact would have written."})
    static final class Compact extends BaseCommand {
        @CommandLine.Parameters(index = "0", paramLabel = "IN.pcm", description = "Model file to rewrite.")
        Path input;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.pcm", description = "Compact model file to write.")
        Path output;

        @Option(names = {"-f", "--force"}, description = "Overwrite an existing output file.")
        boolean force;

        Compact(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "train pc-compact";
        }

        @Override
        int execute() throws Exception {
            if (!Files.isRegularFile(input)) throw new Failure(Occam.EXIT_FAILURE, input + ": no such file");
            if (Files.exists(output) && Files.isSameFile(input, output)) throw new Failure(Occam.EXIT_FAILURE, output + ": is also the input; choose another -o");
            if (Files.exists(output) && !force) throw new Failure(Occam.EXIT_FAILURE, output + " already exists (use -f to overwrite)");
            byte[] in = Files.readAllBytes(input);
            byte[] out = PcMixture.compact(in, input.toString());
            PcMixture.fromBytes(out, output.toString()); // reads back before anything is written
            Pc.write(output, out);
            if (!quiet) env.err.printf(Locale.ROOT, "occam: train pc-compact: wrote %s (%d bytes, was %d)%n", output, out.length, in.length);
            return Occam.EXIT_OK;
        }
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

        @Option(names = "--latent", paramLabel = "K", description = "Latent states per pixel (default 16; with --init: the --init model's k).")
        Integer latentOption;
        private int latent;

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

        @Option(names = "--components", defaultValue = "1", paramLabel = "C",
                description = "Train a mixture of C HCLTs (a sum node over C copies of the --init model, same tree) by full-batch EM for --epochs epochs; the mini-batch options do not apply (default ${DEFAULT-VALUE}: one model).")
        int components;

        @Option(names = "--labels", paramLabel = "FILE",
                description = "IDX label file of --data (gzip ok): with --components, image j starts in component label(j) mod C (default: seeded k-means of the images on pooled grey levels).")
        Path labels;

        @Option(names = "--compact",
                description = "Write the model in the compact format (version 3, about 4x smaller; see occam train pc-compact).")
        boolean compact;

        @Option(names = "--save-epochs",
                description = "Also write the model after every epoch, as M.epochN.pcm beside -o M.pcm (the last one equals -o).")
        boolean saveEpochs;

        Pc(Env env) {
            super(env);
        }

        @Override
        String commandName() {
            return "train pc";
        }

        @Override
        int execute() throws Exception {
            latent = latentOption != null ? latentOption : 16;
            if (latent < 1 || latent > 256) throw new Failure(Occam.EXIT_USAGE, "--latent must be in 1..256");
            if (epochs < 1) throw new Failure(Occam.EXIT_USAGE, "--epochs must be >= 1");
            if (batchSize < 1) throw new Failure(Occam.EXIT_USAGE, "--batch-size must be >= 1");
            if (!(step > 0 && step <= 1)) throw new Failure(Occam.EXIT_USAGE, "--step must be in (0, 1]");
            if (!(smoothing > 0)) throw new Failure(Occam.EXIT_USAGE, "--smoothing must be > 0");
            if (kernelWidth < 0 || kernelWidth > 255) throw new Failure(Occam.EXIT_USAGE, "--value-kernel must be in 0..255");
            if (!(kernelWeight >= 0 && kernelWeight <= 1)) throw new Failure(Occam.EXIT_USAGE, "--value-kernel-weight must be in [0, 1]");
            if (maxImages < 0) throw new Failure(Occam.EXIT_USAGE, "--max-images must be >= 0");
            if (threads < 0) throw new Failure(Occam.EXIT_USAGE, "-T must be >= 0");
            if (components < 1 || components > PcMixture.MAX_COMPONENTS) {
                throw new Failure(Occam.EXIT_USAGE, "--components must be in 1.." + PcMixture.MAX_COMPONENTS);
            }
            if (components > 1 && init == null) throw new Failure(Occam.EXIT_USAGE, "--components needs --init (the single model every component starts from)");
            List<Path> outs = new ArrayList<>(List.of(output));
            for (int e = 1; saveEpochs && e <= epochs; e++) outs.add(epochFile(e));
            for (Path out : outs) {
                for (Path in : new Path[] {init, data, labels, heldOut}) {
                    if (in != null && Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
                        throw new Failure(Occam.EXIT_FAILURE, out + ": is also an input (" + in + "); choose another -o");
                    }
                }
            }
            if (components > 1 && images != null) throw new Failure(Occam.EXIT_USAGE, "--components is for IDX --data only");
            if (labels != null && components == 1) throw new Failure(Occam.EXIT_USAGE, "--labels needs --components");
            if (Files.exists(output) && !force) throw new Failure(Occam.EXIT_FAILURE, output + " already exists (use -f to overwrite)");
            Path outDir = output.toAbsolutePath().getParent();
            if (outDir != null && !Files.isDirectory(outDir)) {
                throw new Failure(Occam.EXIT_FAILURE, output + ": the directory " + outDir + " does not exist");
            }
            for (int e = 1; saveEpochs && !force && e <= epochs; e++) {
                if (Files.exists(epochFile(e))) throw new Failure(Occam.EXIT_FAILURE, epochFile(e) + " already exists (use -f to overwrite)");
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
                if (latentOption == null) latent = startModel.latentStates();
                if (components > 1 && latent != startModel.latentStates()) {
                    throw new Failure(Occam.EXIT_USAGE, "--components keeps the --init model's " + startModel.latentStates() + " latent states (drop --latent)");
                }
                if (components > 1 && !PcMixture.fits(startModel.rows(), startModel.cols(), startModel.latentStates(), components)) {
                    throw new Failure(Occam.EXIT_USAGE, "--components " + components + " of " + startModel.rows() + "x" + startModel.cols()
                            + " models with k = " + startModel.latentStates() + " would not fit a model file (1 GiB of parameters at most)");
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
            int[] assign = null;
            if (components > 1) {
                if (train.isEmpty()) throw new Failure(Occam.EXIT_FAILURE, data + ": no training images");
                if (labels != null) {
                    int[] lab;
                    try {
                        lab = Idx.readLabels(labels, all.images().size(), data.toString());
                    } catch (NoSuchFileException e) {
                        throw new Failure(Occam.EXIT_FAILURE, labels + ": no such file");
                    }
                    assign = new int[train.size()];
                    for (int j = 0; j < assign.length; j++) assign[j] = lab[j] % components;
                } else {
                    assign = PcTrainer.kMeans(train, all.rows(), all.cols(), components, seed);
                }
                int[] per = new int[components];
                for (int a : assign) per[a]++;
                int idle = 0;
                for (int c : per) if (c == 0) idle++;
                if (idle > 0 && !quiet) {
                    env.err.printf(Locale.ROOT, "occam: train pc: warning: %d of %d components start with no image (%s); they stay copies of the --init model unless EM moves images to them%n",
                            idle, components, labels != null ? "no label maps to them" : "empty k-means clusters");
                }
            }
            if (augmentShifts) {
                int n0 = train.size();
                train = PcTrainer.withShifts(train, all.rows(), all.cols());
                if (assign != null) {
                    int per = (train.size() - n0) / Math.max(1, n0);
                    int[] a = java.util.Arrays.copyOf(assign, train.size());
                    for (int j = n0; j < a.length; j++) a[j] = assign[(j - n0) / per];
                    assign = a;
                }
            }
            if (train.isEmpty()) throw new Failure(Occam.EXIT_FAILURE, data + ": no training images");
            int cores = Runtime.getRuntime().availableProcessors();
            int threads = this.threads == 0 ? cores : Math.min(this.threads, cores);
            if (miniBatchEpochs > epochs) throw new Failure(Occam.EXIT_USAGE, "--mini-batch-epochs must be <= --epochs");
            int mini = miniBatchEpochs >= 0 ? miniBatchEpochs : Math.max(1, (epochs + 1) / 2);
            PcTrainer.Settings s = new PcTrainer.Settings(latent, mini, epochs - mini, batchSize, step, smoothing, smoothing, threads, seed,
                    kernelWidth, kernelWeight);
            if (!quiet) {
                if (components > 1) {
                    env.err.printf(Locale.ROOT, "occam: train pc: %d training images %dx%d, %d held out, mixture of %d (k=%d, components start from %s), %d EM epochs, %d threads%n",
                            train.size(), all.rows(), all.cols(), held.size(), components, latent, labels != null ? "--labels" : "k-means clusters", epochs, threads);
                } else {
                    env.err.printf(Locale.ROOT, "occam: train pc: %d training images %dx%d, %d held out, k=%d, %d mini-batch + %d full-batch epochs, %d threads%n",
                            train.size(), all.rows(), all.cols(), held.size(), latent, mini, epochs - mini, threads);
                }
            }
            boolean bar = env.stderrTerminal && !quiet;
            long start = System.nanoTime();
            java.util.function.Consumer<PcTrainer.Progress> onProgress = p -> {
                progress(p, bar, start);
                if (saveEpochs && p.model() != null) saveEpoch(p);
            };
            PcMixture m;
            if (components > 1) {
                m = PcTrainer.trainMixture(train, assign, components, held, startModel, s, onProgress);
            } else {
                m = PcMixture.of(startModel == null
                        ? PcTrainer.train(train, held, all.rows(), all.cols(), s, onProgress)
                        : PcTrainer.train(train, held, startModel, s, onProgress));
            }
            byte[] bytes = compact ? m.toCompactBytes() : m.toBytes();
            PcMixture q = PcMixture.fromBytes(bytes, output.toString());
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
        private Path epochFile(int epoch) {
            String name = output.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : ".pcm";
            return output.resolveSibling(stem + ".epoch" + epoch + ext);
        }

        /** Writes the epoch's model (quantised, as -o would be) to M.epochN.pcm. */
        private void saveEpoch(PcTrainer.Progress p) {
            Path f = epochFile(p.epoch());
            try {
                write(f, p.model().toBytes());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(f + ": " + e.getMessage(), e);
            }
            if (!quiet) env.err.printf(Locale.ROOT, "occam: train pc: wrote %s%n", f);
        }

        private void write(byte[] bytes) throws IOException {
            write(output, bytes);
        }

        static void write(Path file, byte[] bytes) throws IOException {
            AtomicOutput out = AtomicOutput.create(file);
            try {
                out.stream().write(bytes);
                out.commit(true, null);
            } finally {
                out.abort();
            }
        }
    }
}
