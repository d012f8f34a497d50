package dev.hackablemail.junit;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;

/**
 * Where a simulation file is, and how its unique-id segment names it: a path relative to
 * the working directory when the file is under it (so that ids do not change with the
 * checkout's location), else an absolute path, or {@code classpath:<resource>} for a file
 * found on the classpath.
 *
 * @param id the text of the unique-id segment
 * @param file the file on disk
 * @param resourceName the classpath resource name, or null for a plain file
 */
record Location(String id, Path file, String resourceName) {

    static final String CLASSPATH_PREFIX = "classpath:";

    static Location ofFile(Path file, Path baseDir) {
        Path absolute = file.toAbsolutePath().normalize();
        String id = absolute.startsWith(baseDir) && !absolute.equals(baseDir)
                ? baseDir.relativize(absolute).toString()
                : absolute.toString();
        return new Location(id.replace('\\', '/'), absolute, null);
    }

    /** A classpath resource; empty when it is not a plain file (inside a jar, say). */
    static Optional<Location> ofResource(String name, URI uri) {
        String resource = name.startsWith("/") ? name.substring(1) : name;
        if (!"file".equals(uri.getScheme())) {
            return Optional.empty();
        }
        return Optional.of(new Location(CLASSPATH_PREFIX + resource, Path.of(uri).normalize(), resource));
    }

    /** The classpath resource {@code name} as the default class loader finds it, if it does. */
    static Optional<Location> findResource(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return findResource(name, loader != null ? loader : Location.class.getClassLoader());
    }

    static Optional<Location> findResource(String name, ClassLoader loader) {
        String resource = name.startsWith("/") ? name.substring(1) : name;
        URL url = loader.getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        try {
            return ofResource(resource, url.toURI());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The location a unique-id segment names, if its file can be found. */
    static Optional<Location> parse(String id, Path baseDir) {
        if (id.startsWith(CLASSPATH_PREFIX)) {
            return findResource(id.substring(CLASSPATH_PREFIX.length()));
        }
        try {
            return Optional.of(ofFile(baseDir.resolve(id), baseDir));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    String fileName() {
        return file.getFileName().toString();
    }

    TestSource source() {
        return resourceName != null ? ClasspathResourceSource.from(resourceName) : FileSource.from(file.toFile());
    }

    /** The source at a line and column of the file (counted from 1). */
    TestSource source(int line, int column) {
        if (line <= 0) {
            return source();
        }
        FilePosition position = FilePosition.from(line, column);
        return resourceName != null ? ClasspathResourceSource.from(resourceName, position)
                : FileSource.from(file.toFile(), position);
    }
}
