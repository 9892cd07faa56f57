package io.ganflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganflow.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choices are registry names: built-ins, explicit registrations and ServiceLoader plug-ins alike. */
class RegistriesTest {
    @Test
    void builtInsAreTheAllowedValuesOfTheirKeys() {
        Schema s = Schema.standard();
        assertTrue(s.get("data.name").orElseThrow().choices().containsAll(List.of("ring8", "grid25", "csv", "idx")));
        assertEquals(Registries.METHODS.names(), s.get("method").orElseThrow().choices());
        assertEquals(Registries.OBJECTIVES.names(), s.get("gan.objective").orElseThrow().choices());
        assertEquals(List.of("mlp", "dcgan", "resnet"), s.get("model.g.kind").orElseThrow().choices());
        assertEquals(List.of("mlp", "unet"), s.get("model.v.kind").orElseThrow().choices());
        assertTrue(Registries.METRICS.names().containsAll(List.of("w1", "sinkhorn", "prdc", "frechet")));
    }

    @Test
    void aServiceLoaderPluginRegistersBeforeTheFirstConfig() {
        Config c = Config.builder().set("data.name", "plugin-ring", "test").build();
        assertEquals("ring8", Setup.dataset(c).name());
    }

    @Test
    void namesAreCheckedAndNotReused() {
        assertThrows(IllegalArgumentException.class, () -> Registries.DATASETS.register("ring8", "again", c -> null));
        assertThrows(IllegalArgumentException.class, () -> Registries.DATASETS.register("Bad Name", "x", c -> null));
        BadInputException e = assertThrows(BadInputException.class,
                () -> Config.builder().set("gan.objective", "wgan", "test").build());
        assertTrue(e.getMessage().contains("wasserstein"), e.getMessage());
    }
}
