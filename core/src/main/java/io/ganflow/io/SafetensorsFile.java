package io.ganflow.io;

import io.ganflow.BadInputException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The content of a safetensors file as read by {@link Safetensors#read(Path)}.
 *
 * @param path the file it came from (named in error messages)
 * @param tensors the tensors by name, in ascending name order, unmodifiable
 * @param metadata the {@code __metadata__} entries in ascending key order, unmodifiable (empty if absent)
 */
public record SafetensorsFile(Path path, Map<String, SafeTensor> tensors, Map<String, String> metadata) {
    /**
     * The tensor with this name.
     *
     * @throws BadInputException naming the file and the tensor if there is none
     */
    public SafeTensor tensor(String name) {
        SafeTensor t = tensors.get(name);
        if (t == null) {
            throw new BadInputException(path + ": no tensor named '" + name + "' (the file holds " + tensors.size()
                    + (tensors.size() == 1 ? " tensor)" : " tensors)"));
        }
        return t;
    }
}
