package io.ganflow.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ganflow.BadInputException;
import io.ganflow.engine.Ops;
import io.ganflow.run.TrainingRun;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** gan.n_gen: K generator updates per step against the same critic; 1 (the default) changes nothing. */
class GeneratorStepsTest {
    static double[] generatorAfter(String nGen) {
        TrainingRun.Builder b = TrainingRun.builder().preset("ring8-monoflow-logit").set("train.steps", "3")
                .evaluation(false);
        if (nGen != null) {
            b.set("gan.n_gen", nGen);
        }
        TrainingRun tr = b.build();
        tr.train();
        return ((GanMethod) tr.method()).generator().parameters().stream()
                .flatMapToDouble(p -> Arrays.stream(Ops.toDoubles(p.value()))).toArray();
    }

    @Test
    void oneIsTheDefaultAndMoreStepsMoveTheGeneratorFurther() {
        double[] plain = generatorAfter(null);
        assertArrayEquals(plain, generatorAfter("1"), 0.0, "gan.n_gen=1 is bit for bit the default");
        double[] three = generatorAfter("3");
        assertFalse(Arrays.equals(plain, three), "three generator updates per step differ from one");
        assertThrows(BadInputException.class, () -> generatorAfter("0"));
    }
}
