package dev.embtrain.training.spark;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.SearchConfig;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.engine.listeners.Pruning;
import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.run.RunDirectory;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.search.TrialResult;
import dev.embtrain.training.train.ConfigChecks;
import dev.embtrain.training.train.Training;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * {@code embtrain spark search}: a search's trials as Spark tasks. The driver lists every trial's
 * values first (the config's own, then the random sampler's draws, which do not depend on how
 * trials score), each task trains one trial in a JVM of its own ({@code embtrain train} of the
 * trial's config, so trials sharing an executor never share PyTorch's random state), and the
 * driver then runs the search as {@code embtrain train} does, taking each trial's result in
 * order and training only the best trial itself: the same {@code trials.csv} and the same kept
 * model as the sequential search. Pruning compares trials while they run, and TPE proposes from
 * finished ones, so only {@code sampler: random} with {@code pruner: none} runs this way.
 */
public final class SparkSearch {

    private SparkSearch() {}

    /**
     * Runs a search.
     *
     * @param spark the session
     * @param loaded the config, with a search section
     * @param runDir the run directory, or null for runs/NAME
     * @param overwrite whether an existing run may be replaced
     * @param log status lines
     * @return the run directory
     * @throws Exception when a trial or the run fails
     */
    public static Path search(SparkSession spark, ConfigLoader.Loaded loaded, Path runDir, boolean overwrite,
            PrintStream log) throws Exception {
        check(loaded);
        Path target = runDir != null ? runDir : Path.of("runs", loaded.config().name());
        RunDirectory.checkWritable(target, overwrite);
        RunKind kind = ConfigChecks.check(loaded);
        Monitor monitor = ConfigChecks.monitor(loaded, kind);
        List<List<String>> plan = Training.searchPlan(loaded);
        List<Tuple2<Integer, String>> trials = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            trials.add(new Tuple2<>(i, Training.trialYaml(loaded, plan.get(i))));
        }
        log.println(String.format(Locale.ROOT, "spark    %d trials as Spark tasks on %s", trials.size(),
                spark.sparkContext().master()));
        List<String> properties = new ArrayList<>();
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith("ai.djl") || key.startsWith("DJL_") || key.startsWith("ENGINE_")
                    || key.startsWith("embtrain.")) {
                properties.add("-D" + key + "=" + v);
            }
        });
        String monitorName = monitor.name();
        boolean higher = monitor.higherIsBetter();
        String cwd = Path.of("").toAbsolutePath().toString();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Tuple2<Integer, TrialResult>> done = jsc.parallelize(trials, trials.size()).map(t -> new Tuple2<>(t._1(),
                trainTrial(Path.of(System.getProperty("java.home"), "bin", "java").toString(), taskClasspath(),
                        properties, Files.isDirectory(Path.of(cwd)) ? cwd : Path.of("").toAbsolutePath().toString(),
                        t._1(), t._2(), new Monitor(monitorName, higher))))
                .collect();
        Map<Integer, TrialResult> results = new HashMap<>();
        int keep = -1;
        for (Tuple2<Integer, TrialResult> d : done) {
            results.put(d._1(), d._2());
        }
        for (int i = 0; i < trials.size(); i++) {
            if (keep < 0 || results.get(i).value() > results.get(keep).value()) {
                keep = i;
            }
        }
        log.println(String.format(Locale.ROOT, "spark    every trial trained; trial %d is the best: training it here to"
                + " keep its model", keep));
        Training.Outcome outcome = new Training(loaded, target, overwrite, List.of(), log::println)
                .withTrialsTrainedElsewhere(results, keep).run();
        return outcome.runDir();
    }

    /**
     * Refuses a config whose search cannot run its trials at once, before Spark starts.
     *
     * @param loaded the config
     */
    public static void check(ConfigLoader.Loaded loaded) {
        SearchConfig s = loaded.config().search();
        if (s == null) {
            throw loaded.error("search", "spark search runs a search's trials as Spark tasks; this config has no"
                    + " search section (train it with embtrain train)");
        }
        if (!(s.sampler() instanceof SearchConfig.RandomSamplerConfig)) {
            throw loaded.error("search.sampler", "spark search runs trials at once, which needs values drawn"
                    + " independently of earlier trials: use type: random (tpe proposes from finished trials)");
        }
        if (!(s.pruner() instanceof SearchConfig.NoPrunerConfig)) {
            throw loaded.error("search.pruner", "spark search runs trials at once, and a pruner compares a trial"
                    + " with those before it as it runs: use pruner: {type: none}");
        }
    }

    /**
     * The classpath of the JVM a task runs in, for the trial's own JVM: the executor's
     * {@code java.class.path} and the local jars of its class loaders. Under spark-submit the
     * application jar and {@code --jars} are loaded by Spark's class loader, not named on the
     * executor's class path, and on a cluster the driver's paths mean nothing to an executor.
     */
    static String taskClasspath() {
        java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>(List.of(
                System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader u) {
                for (java.net.URL url : u.getURLs()) {
                    if (url.getProtocol().equals("file")) {
                        try {
                            entries.add(Path.of(url.toURI()).toString());
                        } catch (java.net.URISyntaxException e) {
                            entries.add(url.getPath());
                        }
                    }
                }
            }
        }
        entries.remove("");
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** Trains one trial in a JVM of its own and reads what the search records of it. */
    static TrialResult trainTrial(String java, String classpath, List<String> properties, String cwd, int number,
            String yaml, Monitor monitor) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("embtrain-trial-" + number + "-");
        try {
            Path config = Files.writeString(tmp.resolve("trial.yaml"), yaml, StandardCharsets.UTF_8);
            Path run = tmp.resolve("run");
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(properties);
            command.addAll(List.of("-cp", classpath, "dev.embtrain.training.cli.Main", "train", config.toString(),
                    "--run-dir", run.toString()));
            Path log = tmp.resolve("trial.log");
            Process p = new ProcessBuilder(command).directory(new java.io.File(cwd)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            int status = p.waitFor();
            if (status != 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                throw new IllegalStateException("trial " + number + " failed (exit " + status + "): "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            }
            return read(run, monitor);
        } finally {
            RunDirectory.deleteTree(tmp);
        }
    }

    /** A finished run's value and per-epoch reports, as the search scores them. */
    static TrialResult read(Path run, Monitor monitor) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve(RunFiles.METRICS), StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(","));
        int column = header.indexOf(monitor.name());
        if (column < 0) {
            throw new IOException(run.resolve(RunFiles.METRICS) + " has no column " + monitor.name());
        }
        Map<Integer, Double> reports = new java.util.TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            reports.put(Integer.parseInt(f[0]), Pruning.score(monitor, Double.parseDouble(f[column])));
        }
        Map<String, Object> config = new org.yaml.snakeyaml.Yaml().load(Files.readString(run.resolve(RunFiles.CONFIG),
                StandardCharsets.UTF_8));
        int best = ((Number) ((Map<?, ?>) config.get("resolved")).get("best_epoch")).intValue();
        return new TrialResult(reports.get(best), reports);
    }
}
