package io.ganflow.cli.bench;

import io.ganflow.BadInputException;
import java.util.Arrays;
import java.util.List;

/** The bench's suites ({@code ganflow bench --suite NAME}). */
enum Suite {
    WGAN_GP("wgan-gp"), TRANSPORT("transport"), FID("fid"), DCGAN("dcgan"), CONV_GP("conv-gp"), UNET("unet"),
    DDPM("ddpm"), SAMPLE("sample"), DDP("ddp"), ALL("all");

    /** The suites that time an image preset's training step (ImageWorkload). */
    static final List<Suite> IMAGE = List.of(DCGAN, CONV_GP, UNET, DDPM);

    final String key;

    Suite(String key) {
        this.key = key;
    }

    /** The suite of a --suite value, or a bad-input error listing the allowed ones. */
    static Suite parse(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst().orElseThrow(() ->
                new BadInputException("--suite " + key + " is not allowed; allowed: " + String.join(", ",
                        Arrays.stream(values()).map(s -> s.key).toList())));
    }

    /** Whether running this suite runs {@code s}: itself, or every suite but ddp for {@code all}. */
    boolean includes(Suite s) {
        return this == s || (this == ALL && s != DDP);
    }

    /** Whether this suite times a training step that has a bf16 form. */
    boolean hasBf16() {
        return this == WGAN_GP || IMAGE.contains(this) || this == ALL;
    }
}
