package dev.hackablemail.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Names the simulations a class stands for, so that tools which select only classes (Maven
 * Surefire, an IDE's "run class") run them. The class itself stays empty:
 *
 * <pre>{@code
 * @Simulations("email.simulation.yaml")
 * class EmailSimulationTest {}
 * }</pre>
 *
 * <p>Each value is a {@code *.simulation.yaml} file, an {@code xtp.toml} file or a folder
 * (searched for both, hidden folders and {@code target} skipped). A relative value is looked
 * up first as a file relative to the working directory (under Maven, the module's folder),
 * then as a classpath resource.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
public @interface Simulations {

    /** The simulation files or folders. */
    String[] value();
}
