package io.ganflow.config;

import java.util.Map;

/**
 * A named set of config values that reproduces a known setting.
 *
 * @param name e.g. {@code ring8-wgan-gp}
 * @param description one line for {@code ganflow presets}
 * @param values the keys it sets; everything else keeps its default
 */
public record Preset(String name, String description, Map<String, String> values) {}
