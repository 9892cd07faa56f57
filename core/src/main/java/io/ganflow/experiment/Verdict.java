package io.ganflow.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether the claim held against the threshold stated up front, with the numbers it was judged on.
 *
 * @param holds true when every condition of the threshold is met
 * @param headline the measured result in one line, for docs/experiments.md
 * @param numbers the measured numbers the verdict compares (means over seeds)
 */
public record Verdict(boolean holds, String headline, Map<String, Object> numbers) {
    public Verdict {
        numbers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
    }

    /** "holds" or "does not hold". */
    public String word() {
        return holds ? "holds" : "does not hold";
    }

    /** Builds a verdict from several checks: it holds when all of them pass. */
    public static final class Builder {
        private final Map<String, Object> numbers = new LinkedHashMap<>();
        private final java.util.List<String> failed = new java.util.ArrayList<>();
        private boolean all = true;

        /** Records a number the verdict rests on. */
        public Builder number(String name, Object value) {
            numbers.put(name, value instanceof Double d ? io.ganflow.train.MetricsLog.jsonNumber(d) : value);
            return this;
        }

        /** One condition of the threshold; {@code what} says it in words for the failure list. */
        public Builder check(boolean ok, String what) {
            if (!ok) {
                all = false;
                failed.add(what);
            }
            return this;
        }

        public Verdict build(String headline) {
            if (!failed.isEmpty()) {
                numbers.put("failed_conditions", java.util.List.copyOf(failed));
            }
            return new Verdict(all, headline, numbers);
        }
    }

    public static Builder builder() {
        return new Builder();
    }
}
