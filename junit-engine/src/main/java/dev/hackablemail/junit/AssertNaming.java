package dev.hackablemail.junit;

/** How an assert's display name is made; see {@link Constants#NAMING_PROPERTY_NAME}. */
enum AssertNaming {
    /** {@code "<group> - <assert>"}; an assert made before any group keeps its own name. */
    LONG,
    /** {@code "<assert>"}. */
    SHORT;

    static final String SEPARATOR = " - ";

    /** The display name of the assert {@code name} made in {@code group} (null: before any group). */
    String displayName(String group, String name) {
        return this == LONG && group != null ? group + SEPARATOR + name : name;
    }
}
