package io.ganflow.config;

/** The value types a config key can have. */
public enum KeyType {
    INT,
    LONG,
    DOUBLE,
    BOOL,
    CHOICE,
    STRING
}
