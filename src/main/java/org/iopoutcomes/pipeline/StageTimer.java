package org.iopoutcomes.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Times the stages of a run and logs one line per stage; the timings go into manifest.json. */
public final class StageTimer {
    private static final Logger LOG = LoggerFactory.getLogger("org.iopoutcomes.stage");

    /** One finished stage: name, seconds and what it counted. */
    public record Stage(String name, double seconds, Map<String, Long> rows) {}

    private final List<Stage> stages = new ArrayList<>();
    private final java.util.function.Consumer<String> afterStage;

    public StageTimer() {
        this(stage -> { });
    }

    /** {@code afterStage} runs after each stage with its name (OutcomesJob's test hook). */
    StageTimer(java.util.function.Consumer<String> afterStage) {
        this.afterStage = afterStage;
    }

    public <T> T time(String name, Supplier<T> work, java.util.function.Function<T, Map<String, Long>> rowsOf) {
        long start = System.nanoTime();
        T result = work.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> rows = rowsOf == null ? Map.of() : new LinkedHashMap<>(rowsOf.apply(result));
        stages.add(new Stage(name, seconds, rows));
        LOG.info("stage {} took {} s{}", name, String.format(java.util.Locale.ROOT, "%.1f", seconds),
                rows.isEmpty() ? "" : ", rows " + rows);
        afterStage.accept(name);
        return result;
    }

    public void time(String name, Runnable work) {
        time(name, () -> {
            work.run();
            return null;
        }, null);
    }

    public List<Stage> stages() {
        return List.copyOf(stages);
    }
}
