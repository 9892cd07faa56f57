package io.ganflow.train;

import io.ganflow.BadInputException;
import io.ganflow.engine.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Method#sample(SampleRequest)} is asked: how many samples, the generator of their random draws, the
 * class of each sample where the method is conditional, the sampling procedure (empty: the method's default, the
 * first it lists) and that procedure's options, and whether to keep the intermediate states.
 *
 * @param n number of samples
 * @param rng the random stream of the draws
 * @param labels one class per sample, or empty for an unconditional sample
 * @param procedure a name from {@link Method#samplingProcedures()}, or "" for the default
 * @param options the procedure's options by name (solver, nfe, atol, rtol, ...), as text
 * @param keepPath whether the intermediate states are returned ({@link SamplingProcedure#hasPath()})
 */
public record SampleRequest(int n, Rng rng, Optional<long[]> labels, String procedure, Map<String, String> options,
        boolean keepPath) {
    public SampleRequest {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** n unconditional samples with the method's default procedure. */
    public static SampleRequest of(int n, Rng rng) {
        return new SampleRequest(n, rng, Optional.empty(), "", Map.of(), false);
    }

    public SampleRequest withProcedure(String name) {
        return new SampleRequest(n, rng, labels, name, options, keepPath);
    }

    /** This request with one more option (a null value leaves the request as it is). */
    public SampleRequest withOption(String name, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, String> o = new LinkedHashMap<>(options);
        o.put(name, value.toString());
        return new SampleRequest(n, rng, labels, procedure, o, keepPath);
    }

    public SampleRequest withPath() {
        return new SampleRequest(n, rng, labels, procedure, options, true);
    }

    public SampleRequest withLabels(long[] classes) {
        return new SampleRequest(n, rng, Optional.of(classes.clone()), procedure, options, keepPath);
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** An option as a whole number; {@code flag} names it in the error ("--nfe"). */
    public Optional<Integer> intOption(String name, String flag) {
        return option(name).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new BadInputException(flag + " " + v + " is not a whole number");
            }
        });
    }

    /** An option as a number; {@code flag} names it in the error ("--atol"). */
    public Optional<Double> doubleOption(String name, String flag) {
        return option(name).map(v -> {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new BadInputException(flag + " " + v + " is not a number");
            }
        });
    }

    /**
     * The procedure this request names among a method's, after checking that the method can serve it: a known
     * procedure, options it reads, a path only where it keeps one, and no labels (conditional methods check
     * labels themselves and call {@link #procedureIn(String, List, boolean)}).
     *
     * @throws BadInputException naming what was asked and what is allowed
     */
    public SamplingProcedure procedureIn(String method, List<SamplingProcedure> offered) {
        return procedureIn(method, offered, false);
    }

    public SamplingProcedure procedureIn(String method, List<SamplingProcedure> offered, boolean conditional) {
        if (labels.isPresent() && !conditional) {
            throw new BadInputException("class labels were given, but method " + method + " is not conditional: it"
                    + " samples without a class");
        }
        SamplingProcedure p = procedure.isEmpty() ? offered.get(0) : offered.stream()
                .filter(s -> s.name().equals(procedure)).findFirst().orElseThrow(() -> new BadInputException(
                        "--sampler " + procedure + " is not offered by method " + method + "; allowed: "
                                + String.join(", ", offered.stream().map(SamplingProcedure::name).toList())));
        List<String> unread = options.keySet().stream().filter(k -> !p.options().contains(k)).toList();
        if (!unread.isEmpty()) {
            boolean anyReads = offered.stream().anyMatch(s -> s.options().containsAll(unread));
            boolean one = unread.size() == 1;
            throw new BadInputException(String.join("/", unread.stream().map(k -> "--" + k).toList())
                    + (anyReads ? (one ? " does" : " do") + " not apply to sampler " + p.name() + " of method " + method
                            : (one ? " applies" : " apply") + " to no sampler of method " + method) + "; " + p.name()
                    + " takes "
                    + (p.options().isEmpty() ? "no options" : String.join(", ", p.options().stream().map(k -> "--" + k)
                            .toList())));
        }
        if (keepPath && !p.hasPath()) {
            throw new BadInputException("sampler " + p.name() + " of method " + method + " keeps no path");
        }
        return p;
    }
}
