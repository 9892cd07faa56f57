package io.ganflow.experiment;

import java.io.IOException;
import java.nio.file.Path;

/** Draws a {@link Figure} into a PNG file. */
@FunctionalInterface
public interface FigureWriter {
    FigureWriter NONE = (f, file) -> false;

    /** Returns whether a file was written. */
    boolean write(Figure figure, Path png) throws IOException;
}
