package com.shopsense.config;

/** One documented job option: its key, default value (as text) and meaning. */
public record JobOption(String key, String defaultValue, String description) {
}
