package io.ganflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AlarmsTest {
    static Map<String, Double> eval(double modes, double w1) {
        return Map.of("modes_covered", modes, "w1", w1);
    }

    @Test
    void modesFallingThreeTimesInARowFiresOnceAndStops() {
        List<String> warnings = new ArrayList<>();
        AtomicInteger stops = new AtomicInteger();
        Alarms a = new Alarms(3, true, stops::incrementAndGet, warnings::add);
        a.onEval(1, eval(8, 0.1));
        a.onEval(2, eval(7, 0.1));
        a.onEval(3, eval(6, 0.1));
        assertFalse(a.raised(), "two falls are not yet an alarm");
        a.onEval(4, eval(5, 0.1));
        assertTrue(a.raised());
        assertEquals(1, stops.get());
        a.onEval(5, eval(4, 0.1));
        assertEquals(1, warnings.size(), "it fires once");
        assertTrue(warnings.get(0).contains("modes covered fell for 3 evaluations in a row (now 5)"), warnings.get(0));
    }

    @Test
    void w1RisingFiresAndAnImprovementResetsTheCount() {
        List<String> warnings = new ArrayList<>();
        AtomicInteger stops = new AtomicInteger();
        Alarms a = new Alarms(2, false, stops::incrementAndGet, warnings::add);
        a.onEval(1, eval(8, 0.1));
        a.onEval(2, eval(8, 0.2));
        a.onEval(3, eval(8, 0.15));
        a.onEval(4, eval(8, 0.3));
        assertFalse(a.raised(), "the improvement at step 3 reset the count");
        a.onEval(5, eval(8, 0.4));
        assertTrue(a.raised());
        assertEquals(0, stops.get(), "warn only");
        assertTrue(warnings.get(0).contains("W1 rose for 2 evaluations in a row"), warnings.get(0));
    }

    @Test
    void zeroTurnsItOff() {
        Alarms a = new Alarms(0, true, () -> { }, s -> { });
        for (int i = 0; i < 10; i++) {
            a.onEval(i, eval(8 - i, i));
        }
        assertFalse(a.raised());
    }
}
