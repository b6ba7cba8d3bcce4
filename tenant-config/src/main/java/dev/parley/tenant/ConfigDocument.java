package dev.parley.tenant;

/** The text of one tenant config file and the name it is reported under. */
public record ConfigDocument(String name, String text) {}
